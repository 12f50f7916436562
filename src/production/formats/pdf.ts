/**
 * PDF: one transcript per review unit or per conversation (PDF/<first Bates>.pdf), Bates-numbered
 * page by page, plus what a review platform loads them with: a text file per transcript
 * (TEXT/<first Bates>.txt, the redacted transcript as text), a Concordance DAT with one record
 * per transcript and an Opticon OPT with one row per page (DATA/). The collected attachments of a
 * transcript take the Bates numbers after its last page and are produced as NATIVES/<Bates><ext>,
 * each a DAT record of the transcript's family (BEGATTACH/ENDATTACH/PARENTBATES).
 */
import { openBlob } from '../../case/blobs.ts';
import { dataOf } from '../../case/data/index.ts';
import type { CaseSession } from '../../case/session.ts';
import { blobBuffer } from '../blob-read.ts';
import type { WriterContext } from '../context.ts';
import { iterateProduced } from '../data.ts';
import type { ProducedMessage } from '../data.ts';
import { isWhollyRedacted, loadRedactions, redactText, redactedPlain } from '../redactions.ts';
import { makeRenderer } from '../pdf/render.ts';
import type { Laid } from '../pdf/render.ts';
import type { ReplyInfo } from '../pdf/transcript.ts';
import { localStamp, utcStamp } from '../time.ts';
import { groupSelection } from '../units.ts';
import { nativeName } from './dat.ts';
import { BOM, datDate, datRow, loadPath, optRow } from './loadfile.ts';

/** Images above this size are named but not drawn (a thumbnail of a 40 MB photo would bloat every copy of the PDF). */
const MAX_THUMBNAIL_SOURCE = 12 * 1024 * 1024;
const DAT_FIELDS = [
  'BEGBATES', 'ENDBATES', 'BEGATTACH', 'ENDATTACH', 'PARENTBATES', 'ATTACHCOUNT', 'DOCTYPE', 'PAGECOUNT', 'CUSTODIAN', 'DATESENT', 'DATEEND',
  'CONVERSATION', 'CONVERSATIONID', 'PLATFORM', 'PARTICIPANTS', 'FROM', 'REVIEWUNIT', 'MESSAGES', 'WITHHELD', 'FILENAME', 'HASH', 'NATIVEPATH', 'TEXTPATH',
];

/** A transcript's numbers, known once it is laid out: each message's page Bates, and the attachments' own. */
interface Numbering {
  pageOf: ReadonlyMap<number, string>;
  attachments: readonly string[];
}
type TextLine = (n: Numbering) => string;

export interface PdfOptions {
  /** Productions of at least this many messages are laid out by worker threads (tests lower it). */
  poolMinMessages?: number;
}

export function pdfWriter(ctx: WriterContext): Promise<void> {
  return writePdf(ctx, {});
}

export function pdfWriterWith(options: PdfOptions) {
  return (ctx: WriterContext): Promise<void> => writePdf(ctx, options);
}

async function writePdf(ctx: WriterContext, options: PdfOptions): Promise<void> {
  const { def, selection, output, bates, session } = ctx;
  const data = dataOf(session);
  const produced = new Set(selection.ids.filter((id) => !selection.withheld.has(id)));
  const groups = groupSelection(data, selection, def.per === 'conversation' ? 'conversation' : 'unit', def.timeZone);
  const renderer = makeRenderer({ def, documentTime: ctx.documentTime }, groups.length, selection.ids.length, options.poolMinMessages);
  const dat: string[] = [];
  const opt: string[] = [];
  const laid: Promise<Laid>[] = [];
  const texts: TextLine[][] = [];
  const natives: { sha256: string; name: string }[][] = [];
  const writes: Promise<void>[] = [];
  let numbered = 0;
  let done = 0;
  // Units are numbered and written strictly in order; the renderer lays out ahead (at most `AHEAD` units).
  const numberNext = async () => {
    const k = numbered++;
    const g = groups[k]!;
    const r = await laid[k]!;
    const pages = Array.from({ length: r.pages }, () => bates.take());
    const files = natives[k]!;
    if (files.length !== r.attachments) throw new Error(`transcript ${k} shows ${r.attachments} attachments, ${files.length} were read`);
    const attachmentBates = files.map(() => bates.take());
    const rel = `PDF/${pages[0]}.pdf`;
    const textRel = `TEXT/${pages[0]}.txt`;
    const pageOf = new Map<number, string>();
    for (const [id, page] of r.placements) {
      pageOf.set(id, pages[page]!);
      ctx.items.place(id, pages[page]!, rel);
    }
    const conversation = ctx.conversations.get(g.conversationId);
    const file = output.reserve(rel);
    const numbering: Numbering = { pageOf, attachments: attachmentBates };
    const textFile = await output.writeFile(textRel, `${texts[k]!.map((line) => line(numbering)).join('\r\n')}\r\n`, { firstBates: pages[0]!, lastBates: pages.at(-1)! });
    texts[k] = [];
    const nativeRows: string[] = [];
    for (let i = 0; i < files.length; i++) {
      const a = files[i]!;
      const b = attachmentBates[i]!;
      const native = nativeName(b, a.name);
      await output.copyFrom(native, openBlob(data, a.sha256), { firstBates: b, lastBates: b });
      ctx.attachments++;
      nativeRows.push(datRow([
        b, b, pages[0], attachmentBates.at(-1), pages[0], 0, 'Attachment', '', conversation.custodians.join('; '), '', '',
        conversation.name, conversation.id, conversation.platform, '', '', '', '', '', a.name, a.sha256, loadPath(native), '',
      ]));
    }
    const withheld = selection.ids.slice(g.start, g.end).filter((id) => selection.withheld.has(id)).length;
    const written = renderer.write(k, pages, attachmentBates, file).then((w) => {
      output.adopt(rel, w.sha256, w.size, { firstBates: pages[0]!, lastBates: pages.at(-1)!, pages: pages.length });
      dat[k] = datRow([
        pages[0], pages.at(-1), pages[0], attachmentBates.at(-1) ?? pages.at(-1), '', files.length, 'Transcript', pages.length, conversation.custodians.join('; '),
        datDate(selection.times[g.start]!), datDate(selection.times[g.end - 1]!),
        conversation.name, conversation.id, conversation.platform, conversation.participants.map((p) => p.display).join('; '), fromOf[k]!.join('; '),
        g.day ? `${g.conversationId}:${g.day}:${g.part}` : String(g.conversationId), g.end - g.start - withheld, withheld, '', w.sha256, loadPath(rel), loadPath(textFile.path),
      ]) + nativeRows.join('');
      opt[k] = pages.map((p, i) => optRow(p, 'VOL001', rel, i === 0, pages.length)).join('');
    });
    written.catch(() => {}); // awaited with the others at the end
    writes.push(written);
    await ctx.tick(done);
  };
  const fromOf: string[][] = [];
  try {
    for (let k = 0; k < groups.length; k++) {
      const g = groups[k]!;
      const ids = selection.ids.slice(g.start, g.end);
      const conversation = ctx.conversations.get(g.conversationId);
      const task = renderer.begin({
        conversation, day: g.day, part: g.part, parts: g.parts, messages: ids.length,
        contextMessages: ids.filter((id) => selection.context.has(id)).length,
        firstAt: selection.times[g.start]!, lastAt: selection.times[g.end - 1]!,
      });
      const text: TextLine[] = [
        `${conversation.name} (${conversation.platform} ${conversation.kind}, conversation ${conversation.id})`,
        `Matter: ${def.matter}`,
        `Review unit: ${g.day ?? 'whole conversation'}${g.parts > 1 ? ` part ${g.part} of ${g.parts}` : ''} (${def.timeZone})`,
        `Participants: ${conversation.participants.map((p) => p.display).join(', ')}`,
        '',
      ].map((line) => () => line);
      const files: { sha256: string; name: string }[] = [];
      const senders = new Set<string>();
      const quoted = new Set<number>();
      const imaged = new Set<string>();
      // Each batch goes to the renderer as soon as it is read, with the quotes and thumbnails it adds.
      for (const batch of iterateProduced(session, ids, selection)) {
        const images = await loadThumbnails(session, imaged, batch);
        const replies: [number, ReplyInfo][] = [];
        for (const m of batch) {
          if (m.replyTo !== null && !quoted.has(m.replyTo)) {
            quoted.add(m.replyTo);
            replies.push([m.replyTo, replyInfo(session, m.replyTo, produced)]);
          }
          if (m.sender && !m.withheld) senders.add(m.sender);
          // The same attachments, in the same order, as the transcript numbers (collected, not withheld with a redaction).
          const first = files.length;
          if (!isWhollyRedacted(m.redactions)) for (const a of m.attachments) if (a.sha256) files.push({ sha256: a.sha256, name: a.name });
          text.push(transcriptLine(m, def.timeZone, first));
        }
        renderer.add(task, { messages: batch, replies, images });
        done += batch.length;
        await ctx.tick(done);
      }
      texts[k] = text;
      natives[k] = files;
      fromOf[k] = [...senders];
      laid.push(renderer.end(task));
      laid[k]!.catch(() => {}); // awaited in order below; keep an early failure from going unhandled
      while (numbered < k + 1 - AHEAD) await numberNext();
    }
    while (numbered < groups.length) await numberNext();
    await Promise.all(writes);
  } finally {
    await renderer.close();
  }
  const name = bates.first ?? 'production';
  await output.writeFile(`DATA/${name}.dat`, BOM + datRow(DAT_FIELDS) + dat.join(''), { firstBates: bates.first, lastBates: bates.last });
  await output.writeFile(`DATA/${name}.opt`, opt.join(''), { firstBates: bates.first, lastBates: bates.last });
}

/** Units laid out ahead of the one being numbered: keeps every worker busy without holding many documents. */
const AHEAD = 2;

/** A message in the text transcript; `firstAttachment` is the unit's index of its first collected attachment. */
function transcriptLine(m: ProducedMessage, tz: string, firstAttachment: number): TextLine {
  const who = m.kind === 'system' ? '(system)' : (m.sender ?? m.senderHandle ?? 'Unknown sender');
  const stamp = `[${localStamp(m.sentAtMs, tz)} | ${utcStamp(m.sentAtMs)}]`;
  if (m.withheld) return (n) => `${stamp} ${who}: [WITHHELD — PRIVILEGED, slip sheet ${n.pageOf.get(m.id)}; privilege log entry ${n.pageOf.get(m.id)}]`;
  const flags = [m.context ? 'context' : '', m.deleted ? 'deleted' : '', m.edited ? 'edited' : ''].filter(Boolean);
  const head = `${stamp} ${who}${flags.length ? ` (${flags.join(', ')})` : ''}: ${redactedPlain(m.text, m.redactions)}`;
  const attachments = isWhollyRedacted(m.redactions) ? [] : m.attachments;
  const reactions = m.reactions.map((r) => `    reaction: ${r.value} ${r.sender ?? ''}${r.removed ? ' (removed)' : ''}`);
  return (n) => {
    let k = firstAttachment;
    const lines = attachments.map((a) => `    attachment: ${a.name}${a.sha256 ? ` SHA-256 ${a.sha256} produced as ${n.attachments[k++]}` : ' (not collected)'}`);
    return [head, ...lines, ...reactions].join('\r\n');
  };
}

/** The parent of a reply: quoted only when it is itself produced (never the text of a withheld message). */
function replyInfo(session: CaseSession, parentId: number, produced: ReadonlySet<number>): ReplyInfo {
  if (!produced.has(parentId)) return { produced: false, sender: null, segments: [] };
  const row = dataOf(session).read.produced.quote(parentId);
  if (!row) return { produced: false, sender: null, segments: [] };
  return { produced: true, sender: row.sender, segments: redactText(row.text, loadRedactions(session, [parentId]).get(parentId)) };
}

/** The thumbnails the batch shows that `seen` (the unit's so far) does not hold yet; adds them to it. */
async function loadThumbnails(session: CaseSession, seen: Set<string>, batch: readonly ProducedMessage[]): Promise<[string, Uint8Array][]> {
  const images: [string, Uint8Array][] = [];
  for (const m of batch) {
    if (isWhollyRedacted(m.redactions)) continue;
    for (const a of m.attachments) {
      if (!a.sha256 || a.size === null || a.size > MAX_THUMBNAIL_SOURCE || seen.has(a.sha256)) continue;
      if (a.mime && !/^image\/(jpeg|jpg|png|pjpeg)$/i.test(a.mime) && !/\.(jpe?g|png)$/i.test(a.name)) continue;
      const data = await blobBuffer(session, a.sha256, MAX_THUMBNAIL_SOURCE);
      if (!data) continue;
      const jpeg = data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff;
      const png = data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      if (jpeg || png) {
        seen.add(a.sha256);
        images.push([a.sha256, data]);
      }
    }
  }
  return images;
}
