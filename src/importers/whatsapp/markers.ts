/**
 * What WhatsApp itself writes into an export, in the languages seen in public exports:
 * system notices (and their kind), deleted and edited markers, and media placeholders.
 * English is complete; the other languages cover the phrases found in real exports (see README).
 */

export type SystemType =
  | 'encryption'
  | 'created'
  | 'rename'
  | 'join'
  | 'leave'
  | 'removed'
  | 'number-change'
  | 'disappearing'
  | 'security-code'
  | 'group-settings'
  | 'group-icon'
  | 'group-description'
  | 'admin'
  | 'call'
  | 'block'
  | 'contact'
  | 'other';

interface Rule {
  type: SystemType;
  re: RegExp;
}

/** In order: the first rule that matches decides (specific before generic). */
const RULES: Rule[] = [
  {
    type: 'encryption',
    re: /end-to-end[- ]encrypt|secured with end-to-end encryption|Ende-zu-Ende-verschlüssel|cifrad[oa]s de extremo a extremo|cifrado de extremo a extremo|criptografia de ponta a ponta|chiffrés de bout en bout|crittografat[ie] end-to-end|end-to-end versleuteld/i,
  },
  { type: 'disappearing', re: /disappearing messages|message timer|messages will disappear|mensajes temporales|messages éphémères|mensagens temporárias|selbstlöschende Nachrichten|verdwijnende berichten/i },
  { type: 'security-code', re: /security code|código de seguridad|code de sécurité|código de segurança|Sicherheitsnummer|Sicherheitscode|codice di sicurezza|beveiligingscode/i },
  { type: 'number-change', re: /changed their phone number|changed (?:their number )?to \+?[\d(]|cambió su número|a changé de numéro|mudou (?:seu|o) número|Telefonnummer geändert|ha cambiato numero|telefoonnummer gewijzigd/i },
  { type: 'created', re: /\bcreated (?:group|this group|the group)|a créé (?:le|ce) groupe|cre(?:ó|aste) (?:el|este) grupo|criou o grupo|ha creato il gruppo|hat die Gruppe .+ erstellt|hat diese Gruppe erstellt|heeft groep .+ aangemaakt/i },
  { type: 'rename', re: /changed the (?:group )?subject|changed the group name|changed this group's name|cambi(?:ó|aste) el (?:asunto|nombre del grupo)|a (?:changé|modifié) (?:le sujet|le nom du groupe)|mudou o (?:assunto|nome do grupo)|alterou o nome do grupo|hat den (?:Betreff|Gruppennamen)|ha (?:cambiato|modificato) (?:l'oggetto|il nome del gruppo)|heeft (?:het onderwerp|de groepsnaam) gewijzigd/i },
  { type: 'group-description', re: /group description|descripción del grupo|description du groupe|descrição do grupo|Gruppenbeschreibung|descrizione del gruppo|groepsbeschrijving/i },
  { type: 'group-icon', re: /group's icon|group icon|group photo|(?:foto|ícono|icono) del grupo|(?:photo|icône) du groupe|(?:imagem|foto) do grupo|Gruppenbild|immagine del gruppo|groepsafbeelding/i },
  { type: 'group-settings', re: /group's settings|changed the settings|only admins|(?:ajustes|configuración) del grupo|paramètres du groupe|configurações do grupo|Gruppeneinstellungen|impostazioni del gruppo|groepsinstellingen/i },
  { type: 'admin', re: /(?:now|no longer) an admin|admin\. del grupo|administrador del grupo|Gruppenadmin|amministratore del gruppo|groepsbeheerder/i },
  { type: 'call', re: /^(?:Missed (?:voice|video|group voice|group video) call|(?:Voice|Video) call|Llamada (?:de voz |de video |)perdida|Videollamada perdida|Verpasster (?:Sprach|Video)anruf|Appel (?:vocal|vidéo) manqué|Chamada de (?:voz|vídeo) perdida|Chiamata (?:vocale|video) persa|Gemiste (?:spraak|video)oproep)/i },
  { type: 'block', re: /You (?:un)?blocked this (?:contact|business)|(?:Des)?bloqueaste (?:a )?este contacto|Vous avez (?:dé)?bloqué ce contact|Você (?:des)?bloqueou este contato|Du hast diesen Kontakt (?:blockiert|freigegeben)|Hai (?:s)?bloccato questo contatto|Je hebt dit contact (?:geblokkeerd|gedeblokkeerd)/i },
  { type: 'contact', re: / is a contact\.?$|business account|uses a secure service from Meta|official business account/i },
  { type: 'removed', re: / removed |^You removed |^You were removed|\bremoved you\b|elimin(?:ó|aste) a |a retiré|removeu|hat .+ entfernt|ha rimosso|heeft .+ verwijderd/i },
  { type: 'leave', re: / left\.?$|^You left\.?$|sali(?:ó|ste) del grupo|est parti(?:e)?\.?$|a quitté|saiu(?: do grupo)?\.?$|hat die Gruppe verlassen|ist ausgetreten|è uscit[oa]|ha abbandonato|heeft de groep verlaten|is vertrokken/i },
  {
    type: 'join',
    re: / joined using | joined from the community| joined$|^You joined|\badded\b|You were added|se unió|te uniste|se unieron|añadió a|se añadió|a rejoint|a ajouté|vous a ajouté|entrou usando|entrou$|adicionou|beigetreten|hinzugefügt|si è unit[oa]|ha aggiunto|is lid geworden|toegevoegd|uitnodigingslink/i,
  },
];

/** The kind of a system notice, or undefined when the text is none WhatsApp is known to write. */
export function systemType(text: string): SystemType | undefined {
  for (const r of RULES) if (r.re.test(text)) return r.type;
  return undefined;
}

/** Types that only a group chat has. */
export const GROUP_TYPES: ReadonlySet<SystemType> = new Set([
  'created', 'rename', 'join', 'leave', 'removed', 'group-settings', 'group-icon', 'group-description', 'admin',
]);

/** "Messages you send to this group are now secured…" names a group too. */
export function isGroupNotice(type: SystemType, text: string): boolean {
  return GROUP_TYPES.has(type) || (type === 'encryption' && /\bgroup\b|\bgrupo\b|\bgroupe\b|\bGruppe\b|\bgruppo\b|\bgroep\b/i.test(text));
}

const QUOTED = /["“„«「]\s?([^"“”„«»「」]+?)\s?["”“»」][^"“”„«»「」]*$/;

/** The new group name of a "created group" / "changed the subject to" notice. */
export function groupNameIn(type: SystemType, text: string): string | undefined {
  if (type !== 'created' && type !== 'rename') return undefined;
  return QUOTED.exec(text)?.[1]?.trim() || undefined;
}

/**
 * WhatsApp's deletion notices ("deleted for everyone", deleted by the user, deleted by a group
 * admin) in its common languages, matched on the whole body after marks, spaces and a final
 * full stop are removed and the text is lower-cased. The admin forms may name the admin.
 */
const DELETED: RegExp[] = [
  // en
  /^(?:this message was deleted|you deleted this message)(?: by (?:an? )?admin\b.*)?$/,
  /^(?:deleted by (?:an? )?admin\b.*|an admin deleted this message)$/,
  // de
  /^(?:diese nachricht wurde (?:von (?:einem |dem )?(?:admin|administrator)\b.* )?gelöscht|du hast diese nachricht gelöscht|von (?:einem )?admin gelöscht)$/,
  // es
  /^(?:se eliminó este mensaje|eliminaste este mensaje|este mensaje (?:fue|ha sido) eliminado(?: por (?:un |el )?(?:admin|administrador)\b.*)?|(?:un |el )?(?:admin|administrador)\b.* eliminó este mensaje|eliminado por (?:un )?(?:admin|administrador)\b.*)$/,
  // fr
  /^(?:ce message a été supprimé(?: par (?:un |l')?(?:admin|administrateur)\b.*)?|vous avez supprimé ce message|supprimé par (?:un )?(?:admin|administrateur)\b.*)$/,
  // pt
  /^(?:(?:esta )?mensagem (?:foi )?apagada(?: por (?:um |o )?(?:admin|administrador)\b.*)?|você apagou esta mensagem|apagada por (?:um )?(?:admin|administrador)\b.*|mensagem apagada pelo (?:admin|administrador)\b.*)$/,
  // it
  /^(?:questo messaggio è stato eliminato(?: da (?:un |l')?(?:admin|amministratore)\b.*)?|hai eliminato questo messaggio|eliminato da (?:un )?(?:admin|amministratore)\b.*)$/,
  // nl
  /^(?:dit bericht is verwijderd(?: door (?:een |de )?(?:admin|beheerder)\b.*)?|je hebt dit bericht verwijderd|verwijderd door (?:een )?(?:admin|beheerder)\b.*)$/,
  // id / ms
  /^(?:pesan ini (?:telah )?dihapus(?: oleh (?:admin)\b.*)?|anda (?:telah )?menghapus pesan ini|mesej ini telah dipadam(?: oleh admin\b.*)?|anda telah memadam mesej ini)$/,
  // tr
  /^(?:bu mesaj (?:bir yönetici tarafından |yönetici tarafından )?silindi|bu mesajı sildiniz)$/,
  // ru / uk
  /^(?:(?:данное|это) сообщение (?:было )?удалено(?: администратором\b.*)?|вы удалили (?:данное|это) сообщение|сообщение удалено администратором\b.*|це повідомлення (?:було )?видалено(?: адміністратором\b.*)?|ви видалили це повідомлення)$/,
  // pl
  /^(?:ta wiadomość została usunięta(?: przez (?:administratora|admina)\b.*)?|usunięto tę wiadomość|usunąłeś tę wiadomość|usunęłaś tę wiadomość)$/,
  // ar / fa / he
  /^(?:تم حذف هذه الرسالة(?: بواسطة (?:مشرف|المشرف).*)?|لقد حذفت هذه الرسالة|حذفت هذه الرسالة|حذف المشرف هذه الرسالة|این پیام حذف شد|شما این پیام را حذف کردید|ההודעה הזו נמחקה|מחקת את ההודעה הזו)$/,
  // hi / bn / ur
  /^(?:यह मैसेज (?:डिलीट कर दिया गया|हटा दिया गया)(?: था)?|आपने यह मैसेज (?:डिलीट|हटा) (?:कर )?दिया|यह संदेश हटा दिया गया(?: था)?|এই মেসেজটি মুছে ফেলা হয়েছে|আপনি এই মেসেজটি মুছে ফেলেছেন|یہ پیغام حذف کر دیا گیا|آپ نے یہ پیغام حذف کر دیا)$/,
  // zh / ja / ko / th / vi
  /^(?:此消息已删除|你删除了此消息|您删除了此消息|此訊息已刪除|你已刪除此訊息|此訊息已被管理員刪除|此消息已被管理员删除|このメッセージは削除されました|メッセージを削除しました|삭제된 메시지입니다|메시지를 삭제했습니다|ข้อความนี้ถูกลบแล้ว|คุณลบข้อความนี้แล้ว|tin nhắn này đã bị xóa(?: bởi quản trị viên\b.*)?|bạn đã xóa tin nhắn này)$/,
];

const MARKS = /^[\u200e\u200f\s]+|[\u200e\u200f\s]+$/g;

export function isDeletedMarker(text: string): boolean {
  if (text.length > 120 || text.includes('\n')) return false;
  const t = text.replace(MARKS, '').replace(/[.。]$/, '').toLowerCase();
  return DELETED.some((re) => re.test(t));
}

const EDITED_WORDS = String.raw`<(?:This message was edited|Diese Nachricht wurde bearbeitet|Se editó este mensaje|Ce message a été modifié|Mensagem editada|Questo messaggio è stato modificato|Dit bericht is bewerkt)\.?>`;
const EDITED = new RegExp(String.raw`[\s\u200e\u200f]*${EDITED_WORDS}[\s\u200e\u200f]*$`, 'i');
/** An edited marker anywhere in a piece of chat text (for the probe: does the export contain edits?). */
export const EDITED_MARKER = new RegExp(EDITED_WORDS, 'i');

/** The text without its trailing "<This message was edited>", or undefined when it has none. */
export function withoutEditedMarker(text: string): string | undefined {
  if (!/>[\s\u200e\u200f]*$/.test(text.slice(-8))) return undefined;
  const m = EDITED.exec(text);
  return m ? text.slice(0, m.index) : undefined;
}

/** Android "without media" placeholders: the whole message is this. */
const MEDIA_OMITTED = /^<(?:Media omitted|Medien ausgeschlossen|Multimedia omitido|Médias? omis|Mídia oculta|Media weggelaten)>$/i;

/** iOS "without media" placeholders, with the kind of media they stand for. */
const IOS_OMITTED = /^(?:(image|video|audio|sticker|GIF|Contact card|document) omitted|(Bild|Video|Audio|Sticker|GIF|Dokument) weggelassen|(imagen|video|audio|sticker|GIF|documento) omitid[oa]|(image|vidéo|audio|autocollant|GIF|document) absente?|(afbeelding|video|audio|sticker|GIF|document) weggelaten)$/i;
const IOS_DOCUMENT_OMITTED = /^(.+?)\s+(?:document omitted|Dokument weggelassen|documento omitido|document absent|document weggelaten)$/i;

/** Android "(file attached)" suffixes (the name comes before it; a caption on the lines after). */
const FILE_ATTACHED = /^(.+?)\s+\((?:file attached|Datei angehängt|archivo adjunto|fichier joint|arquivo anexado|file allegato|bestand bijgevoegd)\)$/i;
/** The same form in a language not listed above, trusted only for WhatsApp's own media names. */
const FILE_ATTACHED_ANY = /^((?:IMG|VID|AUD|PTT|STK|DOC)-\d{8}-WA\d{4,}\.\w{1,5})\s+[(<][^()<>]{1,40}[)>]$/;
/** The names WhatsApp gives media files (Android `IMG-20230630-WA0000.jpg`, iOS `00000012-PHOTO-2023-01-01-12-00-00.jpg`). */
const WHATSAPP_MEDIA_NAME = /^(?:(?:IMG|VID|AUD|PTT|STK|DOC)-\d{8}-WA\d{4,}|\d{8}-(?:PHOTO|VIDEO|AUDIO|STICKER|GIF|DOCUMENT|CONTACT)-\d{4}(?:-\d{2}){5})\.\w{1,5}$/;
/** iOS `<attached: 00000012-PHOTO-2023-01-01-12-00-00.jpg>` and its translations. */
const IOS_ATTACHED = /^<[^<>:\n]{1,40}:\s?([^<>\n]+?\.\w{1,6})>/;

export interface MediaRef {
  /** File name of the media, or a description when the export left it out. */
  name: string;
  /** True when the export says the media is not included (placeholder or "null"). */
  omitted: boolean;
  /** The placeholder as written, for the missing reason. */
  placeholder?: string;
  /** What remains of the message text (the caption). */
  caption: string;
}

/**
 * The media a message body refers to, if any. `exists` confirms a file name against the export's
 * files, so a user's own text like "notes.txt (see above)" is not taken for an attachment.
 */
export function mediaIn(body: string, exists: (name: string) => boolean): MediaRef | undefined {
  const nl = body.indexOf('\n');
  const firstRaw = nl === -1 ? body : body.slice(0, nl);
  if (firstRaw.length === 0 || firstRaw.length > 300) return undefined;
  // iOS puts direction marks inside its placeholders ("Report.pdf • \u200e3 pages \u200edocument omitted").
  const first = /[\u200e\u200f]/.test(firstRaw) ? firstRaw.replace(/[\u200e\u200f]/g, '').trim() : firstRaw.trim();
  if (!mayBeMedia(first)) return undefined;
  const after = nl === -1 ? '' : body.slice(nl + 1);

  const ios = IOS_ATTACHED.exec(first);
  if (ios) {
    const rest = first.slice(ios[0].length).replace(MARKS, '');
    return { name: ios[1]!.trim(), omitted: false, caption: join(rest, after) };
  }
  const android = FILE_ATTACHED.exec(first) ?? FILE_ATTACHED_ANY.exec(first);
  if (android) return { name: documentName(android[1]!), omitted: false, caption: after };
  if (MEDIA_OMITTED.test(first)) return { name: 'media omitted', omitted: true, placeholder: first, caption: after };
  if (first === 'null' && after === '') return { name: 'media (null)', omitted: true, placeholder: 'null', caption: '' };
  const doc = IOS_DOCUMENT_OMITTED.exec(first);
  if (doc) return { name: documentName(doc[1]!), omitted: true, placeholder: first, caption: after };
  const omitted = IOS_OMITTED.exec(first);
  if (omitted) {
    const kind = (omitted.slice(1).find(Boolean) ?? 'media').toLowerCase();
    return { name: `${kind} omitted`, omitted: true, placeholder: first, caption: after };
  }
  // A bare media name (some exports drop the suffix): WhatsApp's own names always, so the chat text alone
  // reads as it does inside its zip; any other name only when the export holds that file.
  if (!first.includes(' ') && /\.\w{1,6}$/.test(first) && (WHATSAPP_MEDIA_NAME.test(first) || exists(first))) return { name: first, omitted: false, caption: after };
  return undefined;
}

/** Cheap test on the ends of the line before any of the patterns above is tried. */
function mayBeMedia(first: string): boolean {
  const a = first.charCodeAt(0);
  const z = first.charCodeAt(first.length - 1);
  if (a === 60 || z === 41 || z === 62 || first === 'null') return true; // '<' … / … ')' / … '>'
  if (!first.includes(' ')) return /\.\w{1,6}$/.test(first);
  return /(?:omitted|weggelassen|omitid[oa]|absente?|weggelaten)$/i.test(first.slice(-12));
}

/** "Report.pdf • 3 pages" → "Report.pdf". */
function documentName(text: string): string {
  return text.replace(MARKS, '').replace(/\s+•\s+.*$/, '').replace(/[\u200e\u200f]/g, '').trim();
}

function join(a: string, b: string): string {
  return a && b ? `${a}\n${b}` : a || b;
}

const MIME: Record<string, string> = {
  jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif', webp: 'image/webp', heic: 'image/heic', bmp: 'image/bmp',
  mp4: 'video/mp4', '3gp': 'video/3gpp', mov: 'video/quicktime', m4v: 'video/x-m4v', mkv: 'video/x-matroska', webm: 'video/webm',
  opus: 'audio/ogg', ogg: 'audio/ogg', m4a: 'audio/mp4', aac: 'audio/aac', mp3: 'audio/mpeg', amr: 'audio/amr', wav: 'audio/wav',
  pdf: 'application/pdf', doc: 'application/msword', docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ppt: 'application/vnd.ms-powerpoint', pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  txt: 'text/plain', csv: 'text/csv', vcf: 'text/vcard', zip: 'application/zip', json: 'application/json', html: 'text/html',
};

export function mimeOf(name: string): string | undefined {
  const dot = name.lastIndexOf('.');
  return dot === -1 ? undefined : MIME[name.slice(dot + 1).toLowerCase()];
}
