/**
 * Concordance load-file production, one document per message: each message gets a Bates number
 * and a text file (TEXT/<Bates>.txt, its redacted text); each of its collected attachments is a
 * child document with the next Bates number and its native file (NATIVES/<Bates>.<ext>), so
 * BEGATTACH/ENDATTACH span the family. A withheld message is a record with WITHHELD set and no
 * content (its slip sheet). One DAT (DATA/<first Bates>.dat) describes them all; there are no page
 * images in this format, so no OPT (a PDF production writes one). TAGS, NOTES and PRIVBASIS are
 * work product: columns only when named (--fields).
 */
import path from 'node:path';
import { openBlob } from '../../case/blobs.ts';
import type { WriterContext } from '../context.ts';
import { iterateProduced } from '../data.ts';
import type { ProducedMessage } from '../data.ts';
import { isWhollyRedacted, redactedPlain } from '../redactions.ts';
import { localStamp } from '../time.ts';
import { BOM, datDate, datRow, loadPath } from './loadfile.ts';
import { dataOf } from '../../case/data/index.ts';

const BASE_FIELDS = [
  'BEGBATES', 'ENDBATES', 'BEGATTACH', 'ENDATTACH', 'PARENTBATES', 'ATTACHCOUNT', 'DOCTYPE', 'CUSTODIAN', 'DATESENT', 'DATESENTLOCAL',
  'CONVERSATION', 'CONVERSATIONID', 'PLATFORM', 'PARTICIPANTS', 'FROM', 'TO', 'DIRECTION', 'SUBJECT', 'INREPLYTO', 'FILENAME', 'MESSAGEID', 'CONTEXT',
  'REDACTED', 'WITHHELD', 'DELETED', 'EDITED', 'HASH', 'NATIVEPATH', 'TEXTPATH',
] as const;
type Field = (typeof BASE_FIELDS)[number] | 'TAGS' | 'NOTES' | 'PRIVBASIS' | 'CODING';

function datFields(ctx: WriterContext): Field[] {
  const f = ctx.def.fields;
  return [...BASE_FIELDS, ...(f.includes('tags') ? ['TAGS' as const] : []), ...(f.includes('notes') ? ['NOTES' as const] : []), ...(f.includes('basis') ? ['PRIVBASIS' as const] : []), ...(f.includes('coding') ? ['CODING' as const] : [])];
}

export async function datWriter(ctx: WriterContext): Promise<void> {
  const { output, bates, session } = ctx;
  const datRel = `DATA/${bates.peek()}.dat`;
  const { stream, done: datDone } = output.open(datRel);
  const write = (s: string) => new Promise<void>((resolve, reject) => {
    if (stream.write(s)) resolve();
    else stream.once('drain', resolve).once('error', reject);
  });
  let count = 0;
  const fields = datFields(ctx);
  const numbers = new Map<number, string>();
  try {
    await write(BOM + datRow(fields));
    for (const batch of iterateProduced(session, ctx.selection.ids, ctx.selection, ctx.def.fields)) {
      for (const m of batch) {
        await family(ctx, m, fields, numbers, (values) => write(datRow(fields.map((f) => values[f] ?? ''))));
        count++;
      }
      await ctx.tick(count);
    }
    stream.end();
    await datDone;
  } catch (err) {
    stream.destroy();
    throw err;
  }
  output.setMeta(datRel, { firstBates: bates.first, lastBates: bates.last });
}

type Values = Partial<Record<Field, string | number>>;

async function family(ctx: WriterContext, m: ProducedMessage, fields: Field[], numbers: Map<number, string>, write: (v: Values) => Promise<void>): Promise<void> {
  const { output, bates, session, def } = ctx;
  const conversation = ctx.conversations.get(m.conversationId);
  const whole = isWhollyRedacted(m.redactions);
  const attachments = whole ? [] : m.attachments;
  const parent = bates.take();
  numbers.set(m.id, parent);
  const children = attachments.map(() => bates.take());
  const end = children.at(-1) ?? parent;
  const common: Values = {
    CUSTODIAN: m.custodians.join('; '), DATESENT: datDate(m.sentAtMs), DATESENTLOCAL: localStamp(m.sentAtMs, def.timeZone),
    CONVERSATION: conversation.name, CONVERSATIONID: conversation.id, PLATFORM: conversation.platform,
    PARTICIPANTS: conversation.participants.map((p) => p.display).join('; '),
    FROM: m.sender ?? (m.kind === 'system' ? '(system)' : ''), TO: ctx.conversations.recipients(m).join('; '), DIRECTION: m.direction,
    MESSAGEID: m.id, CONTEXT: m.context ? 'Y' : 'N', DELETED: m.deleted ? 'Y' : 'N',
  };
  if (m.withheld) {
    ctx.items.place(m.id, parent, null);
    await write({ ...common, BEGBATES: parent, ENDBATES: parent, BEGATTACH: parent, ENDATTACH: parent, ATTACHCOUNT: 0, DOCTYPE: 'Withheld — Privileged', WITHHELD: 'Privileged', REDACTED: 'N' });
    return;
  }
  const textRel = `TEXT/${parent}.txt`;
  await output.writeFile(textRel, redactedPlain(m.text, m.redactions), { firstBates: parent, lastBates: parent });
  ctx.items.place(m.id, parent, textRel);
  const work: Values = {};
  if (fields.includes('TAGS')) work.TAGS = m.tags.join('; ');
  if (fields.includes('NOTES')) work.NOTES = m.notes.join(' | ');
  if (fields.includes('PRIVBASIS')) work.PRIVBASIS = m.bases.join('; ');
  if (fields.includes('CODING')) work.CODING = m.coding.join('; ');
  await write({
    ...common, ...work, BEGBATES: parent, ENDBATES: parent, BEGATTACH: parent, ENDATTACH: end, ATTACHCOUNT: attachments.length,
    DOCTYPE: m.kind === 'system' ? 'System event' : 'Message', SUBJECT: m.subject ?? '', INREPLYTO: m.replyTo !== null ? (numbers.get(m.replyTo) ?? '') : '',
    REDACTED: m.redactions.length ? 'Y' : 'N', WITHHELD: '', EDITED: m.edited ? 'Y' : 'N', HASH: m.contentSha256, TEXTPATH: loadPath(textRel),
  });
  for (let i = 0; i < attachments.length; i++) {
    const a = attachments[i]!;
    const b = children[i]!;
    let native = '';
    if (a.sha256) {
      native = nativeName(b, a.name);
      await output.copyFrom(native, openBlob(dataOf(session), a.sha256), { firstBates: b, lastBates: b });
      ctx.attachments++;
    }
    await write({
      ...common, ...work, BEGBATES: b, ENDBATES: b, BEGATTACH: parent, ENDATTACH: end, PARENTBATES: parent, ATTACHCOUNT: 0,
      DOCTYPE: a.sha256 ? 'Attachment' : 'Attachment (not collected)', FILENAME: a.name, REDACTED: 'N', WITHHELD: '', HASH: a.sha256 ?? '', NATIVEPATH: native ? loadPath(native) : '',
    });
  }
}

/** NATIVES/<Bates><extension of the attachment's name>. */
export function nativeName(bates: string, name: string): string {
  return `NATIVES/${bates}${path.extname(name).replace(/[^A-Za-z0-9.]/g, '').slice(0, 12)}`;
}
