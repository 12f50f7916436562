/**
 * Concordance load-file production, one document per message: each message gets a Bates number
 * and a text file (TEXT/<Bates>.txt, its redacted text); each of its collected attachments is a
 * child document with the next Bates number and its native file (NATIVES/<Bates>.<ext>), so
 * BEGATTACH/ENDATTACH span the family. One DAT (DATA/<first Bates>.dat) describes them all; there
 * are no page images in this format, so no OPT (a PDF production writes one).
 */
import path from 'node:path';
import { openBlob } from '../../case/blobs.ts';
import type { WriterContext } from '../context.ts';
import { iterateProduced } from '../data.ts';
import type { ProducedMessage } from '../data.ts';
import { isWhollyRedacted, redactedPlain } from '../redactions.ts';
import { localStamp } from '../time.ts';
import { BOM, datDate, datRow, loadPath } from './loadfile.ts';

export const DAT_FIELDS = [
  'BEGBATES', 'ENDBATES', 'BEGATTACH', 'ENDATTACH', 'PARENTBATES', 'ATTACHCOUNT', 'DOCTYPE', 'CUSTODIAN', 'DATESENT', 'DATESENTLOCAL',
  'CONVERSATION', 'CONVERSATIONID', 'PLATFORM', 'PARTICIPANTS', 'FROM', 'TO', 'DIRECTION', 'FILENAME', 'MESSAGEID', 'CONTEXT',
  'REDACTED', 'DELETED', 'EDITED', 'TAGS', 'HASH', 'NATIVEPATH', 'TEXTPATH',
] as const;

export async function datWriter(ctx: WriterContext): Promise<void> {
  const { output, bates, session } = ctx;
  const datRel = `DATA/${bates.peek()}.dat`;
  const { stream, done: datDone } = output.open(datRel);
  const write = (s: string) => new Promise<void>((resolve, reject) => {
    if (stream.write(s)) resolve();
    else stream.once('drain', resolve).once('error', reject);
  });
  let count = 0;
  try {
    await write(BOM + datRow(DAT_FIELDS));
    for (const batch of iterateProduced(session.db, ctx.selection.ids, ctx.selection.context)) {
      for (const m of batch) {
        await family(ctx, m, write);
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

async function family(ctx: WriterContext, m: ProducedMessage, write: (s: string) => Promise<void>): Promise<void> {
  const { output, bates, session, def } = ctx;
  const conversation = ctx.conversations.get(m.conversationId);
  const whole = isWhollyRedacted(m.redactions);
  const attachments = whole ? [] : m.attachments;
  const parent = bates.take();
  const children = attachments.map(() => bates.take());
  const end = children.at(-1) ?? parent;
  const textRel = `TEXT/${parent}.txt`;
  const text = redactedPlain(m.text, m.redactions);
  await output.writeFile(textRel, text, { firstBates: parent, lastBates: parent });
  ctx.items.place(m.id, parent, textRel);
  const common = {
    custodian: m.custodians.join('; '), sent: datDate(m.sentAtMs), local: localStamp(m.sentAtMs, def.timeZone),
    conversation: conversation.name, conversationId: conversation.id, platform: conversation.platform,
    participants: conversation.participants.map((p) => p.display).join('; '),
  };
  const from = m.sender ?? (m.kind === 'system' ? '(system)' : '');
  const to = ctx.conversations.recipients(m.conversationId, m.senderHandle).join('; ');
  await write(datRow([
    parent, parent, parent, end, '', attachments.length, m.kind === 'system' ? 'System event' : 'Message', common.custodian, common.sent, common.local,
    common.conversation, common.conversationId, common.platform, common.participants, from, to, m.direction, '', m.id, m.context ? 'Y' : 'N',
    m.redactions.length ? 'Y' : 'N', m.deleted ? 'Y' : 'N', m.edited ? 'Y' : 'N', m.tags.join('; '), m.contentSha256, '', loadPath(textRel),
  ]));
  for (let i = 0; i < attachments.length; i++) {
    const a = attachments[i]!;
    const b = children[i]!;
    let native = '';
    if (a.sha256) {
      const ext = path.extname(a.name).replace(/[^A-Za-z0-9.]/g, '').slice(0, 12);
      native = `NATIVES/${b}${ext}`;
      await output.copyFrom(native, openBlob(session.db, a.sha256), { firstBates: b, lastBates: b });
    }
    await write(datRow([
      b, b, parent, end, parent, 0, a.sha256 ? 'Attachment' : 'Attachment (not collected)', common.custodian, common.sent, common.local,
      common.conversation, common.conversationId, common.platform, common.participants, from, to, m.direction, a.name, m.id, m.context ? 'Y' : 'N',
      'N', m.deleted ? 'Y' : 'N', '', m.tags.join('; '), a.sha256 ?? '', native ? loadPath(native) : '', '',
    ]));
  }
}
