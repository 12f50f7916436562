/**
 * A small matter for production tests, imported through the real ingest path: a JSON source file
 * read by a test importer. Two work conversations in many scripts (Latin, Cyrillic, Arabic, Hebrew,
 * Chinese, Japanese, Korean, Devanagari, Thai, emoji) with replies, reactions, edits, a deletion,
 * system events, PNG/JPEG/missing attachments and a long message; one privileged message; one
 * personal conversation; one redacted span. Markers let tests look for what must (not) be there.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { ingest } from '../../src/ingest/ingest.ts';
import type { Importer, ImportRecord, MessageRecord } from '../../src/importers/types.ts';
import type { CaseSession } from '../../src/case/session.ts';
import { addRedaction } from '../../src/production/redactions.ts';
import { newCase, tempDir } from '../helpers/case.ts';
import { makeJpeg, makePng } from '../helpers/images.ts';
import { applyHoldsToRun } from '../../src/review/hold-scope.ts';
import { dataOf } from '../../src/case/data/index.ts';

export const MARK = {
  privileged: 'PRIVMARKER',
  personal: 'PERSONALMARKER',
  redacted: 'SECRETSPAN',
  arabic: 'مرحبا',
  hebrew: 'שלום',
  chinese: '价格已经确认',
  japanese: '会議は明日です',
  korean: '거래',
  emoji: '👍',
} as const;

export const alice = { kind: 'phone' as const, value: '+447700900001', display: 'Alice Smith' };
export const bob = { kind: 'phone' as const, value: '+447700900002', display: 'Bob Jones' };
const chloe = { kind: 'phone' as const, value: '+33612345678', display: 'Chloé Martin' };
const yusuf = { kind: 'phone' as const, value: '+97150000003', display: 'يوسف' };
const mum = { kind: 'phone' as const, value: '+447700900009', display: 'Mum' };

const T0 = Date.UTC(2023, 0, 3, 8, 0, 0);
const min = 60_000;

export interface Spec {
  key: string;
  conv: string;
  from: typeof alice | null;
  at: number;
  text: string;
  kind?: 'message' | 'system';
  systemType?: string;
  replyTo?: string;
  edits?: { at: number; text: string }[];
  deleted?: boolean;
  reactions?: { from: typeof alice; value: string }[];
  attachments?: { name: string; mime: string; content?: 'png' | 'jpeg' | 'text' }[];
}

export const LONG_TEXT = Array.from({ length: 120 }, (_, i) => `Paragraph line ${i + 1}: the shipment schedule, invoices and the settlement figures we discussed.`).join(' ');

export const MESSAGES: Spec[] = [
  { key: 's1', conv: 'falcon', from: null, at: T0 - 5 * min, text: 'Alice Smith created group "Project Falcon"', kind: 'system', systemType: 'created' },
  { key: 'm1', conv: 'falcon', from: alice, at: T0, text: 'Morning all — the price is confirmed at €1,250/unit. Can everyone check the contract?' },
  { key: 'm2', conv: 'falcon', from: bob, at: T0 + 2 * min, text: `Yes. ${MARK.emoji}🚀 Привет из Москвы, сделка почти готова.`, replyTo: 'm1', reactions: [{ from: alice, value: '❤️' }, { from: chloe, value: '👍' }] },
  { key: 'm3', conv: 'falcon', from: yusuf, at: T0 + 4 * min, text: `${MARK.arabic}، هل وصلت الشحنة؟ الصفقة رقم 42 جاهزة.` },
  { key: 'm4', conv: 'falcon', from: chloe, at: T0 + 6 * min, text: `${MARK.hebrew}, העסקה נסגרה היום (deal closed).` },
  { key: 'm5', conv: 'falcon', from: alice, at: T0 + 8 * min, text: `${MARK.chinese}了。${MARK.japanese}。${MARK.korean} 확인했습니다.`, edits: [{ at: T0 + 7 * min, text: 'first draft of the price note' }] },
  { key: 'm6', conv: 'falcon', from: bob, at: T0 + 10 * min, text: `Advice from counsel about the ${MARK.privileged} dispute.` },
  { key: 'm7', conv: 'falcon', from: chloe, at: T0 + 12 * min, text: 'नमस्ते दुनिया and สวัสดีครับ — photos attached', attachments: [
    { name: 'IMG_0001.png', mime: 'image/png', content: 'png' }, { name: 'scan.jpg', mime: 'image/jpeg', content: 'jpeg' }, { name: 'voice-note.opus', mime: 'audio/ogg' },
  ] },
  { key: 'm8', conv: 'falcon', from: bob, at: T0 + 14 * min, text: 'This message was deleted', deleted: true },
  { key: 'm9', conv: 'falcon', from: alice, at: T0 + 16 * min, text: `Account 12345678 ref ${MARK.redacted} for the wire, thanks.` },
  { key: 's2', conv: 'falcon', from: null, at: T0 + 17 * min, text: 'Bob Jones left', kind: 'system', systemType: 'leave' },
  { key: 'm10', conv: 'falcon', from: alice, at: T0 + 24 * 60 * min, text: LONG_TEXT },
  { key: 'm11', conv: 'falcon', from: chloe, at: T0 + 24 * 60 * min + 3 * min, text: 'Next day: mixed مرحبا world 123 and עברית 456 in one line.' },
  { key: 'd1', conv: 'direct', from: alice, at: T0 + 30 * min, text: 'Bob, call me about the invoice.' },
  { key: 'd2', conv: 'direct', from: bob, at: T0 + 31 * min, text: 'Will do 😀', attachments: [{ name: 'notes.txt', mime: 'text/plain', content: 'text' }] },
  { key: 'p1', conv: 'family', from: mum, at: T0 + 40 * min, text: `Dinner on Sunday? ${MARK.personal}` },
];

export const WORK_MESSAGES = MESSAGES.filter((m) => m.conv !== 'family').length; // 15
export const PRODUCED_BY_DEFAULT = WORK_MESSAGES - 1; // minus the privileged one

const CONVERSATIONS = {
  falcon: { externalId: 'falcon@g.us', kind: 'group' as const, name: 'Project Falcon', members: [alice, bob, chloe, yusuf] },
  direct: { externalId: 'bob', kind: 'direct' as const, name: 'Bob Jones', members: [alice, bob] },
  family: { externalId: 'mum', kind: 'direct' as const, name: 'Mum', members: [alice, mum] },
};

export const PNG = makePng(64, 48, (x, y) => [x * 4, y * 5, 160]);
export const JPEG = makeJpeg(64, 48, (bx, by) => 40 + 25 * ((bx + by) % 8));

function records(specs: Spec[]): ImportRecord[] {
  const out: ImportRecord[] = [];
  for (const [key, c] of Object.entries(CONVERSATIONS)) {
    out.push({ type: 'conversation', key, platform: 'whatsapp', externalId: c.externalId, kind: c.kind, name: c.name, members: c.members.map((h) => ({ handle: h })), locator: `conversation ${key}` });
  }
  for (const s of specs) {
    const m: MessageRecord = {
      type: 'message', conversationKey: s.conv, key: s.key, externalId: s.key, sender: s.from, direction: s.from === null ? 'unknown' : s.from === alice ? 'out' : 'in',
      sentAt: s.at, rawTime: new Date(s.at).toISOString(), timePrecision: 'second', kind: s.kind ?? 'message', text: s.text, locator: `message ${s.key}`,
    };
    if (s.systemType) m.systemType = s.systemType;
    if (s.replyTo) m.replyToKey = s.replyTo;
    if (s.edits) m.edits = s.edits;
    if (s.deleted) m.deleted = true;
    if (s.reactions) m.reactions = s.reactions.map((r) => ({ sender: r.from, value: r.value, at: s.at + min }));
    if (s.attachments) {
      m.attachments = s.attachments.map((a) => {
        if (!a.content) return { name: a.name, mime: a.mime, missingReason: 'not included in the export' };
        const data = a.content === 'png' ? PNG : a.content === 'jpeg' ? JPEG : Buffer.from('meeting notes\n', 'utf8');
        return { name: a.name, mime: a.mime, size: data.length, open: async () => Readable.from([data]) };
      });
    }
    out.push(m);
  }
  return out;
}

function testImporter(specs: Spec[]): Importer {
  return {
    id: 'test-chat', name: 'Test chat', description: 'production test corpus', version: '1',
    detect: async () => ({ confidence: 1 }),
    probe: async () => ({}),
    estimate: async (p) => ({ total: fs.statSync(p).size }),
    async *read() {
      yield* records(specs);
    },
  };
}

export interface Corpus {
  session: CaseSession;
  dir: string;
  ids: Record<string, number>;
}

/** A fresh case holding the corpus, tagged and marked as the tests expect. */
export async function buildCorpus(extra: Spec[] = []): Promise<Corpus> {
  const specs = [...MESSAGES, ...extra];
  const dir = tempDir('holdfast-prod-');
  const session = newCase(dir);
  const source = path.join(dir, 'corpus.json');
  fs.writeFileSync(source, JSON.stringify(specs.map((m) => m.key)));
  await ingest({ data: dataOf(session), casePath: session.path, source, importer: testImporter(specs), options: { tz: 'UTC' }, custodian: 'Alice Smith', actor: 'Tester', applyHolds: applyHoldsToRun });
  const ids: Record<string, number> = {};
  for (const { id, external_id } of session.db.prepare('SELECT id, external_id FROM messages').all() as { id: number; external_id: string }[]) ids[external_id] = id;
  session.db.prepare("UPDATE conversations SET personal = 1 WHERE external_id = 'mum'").run();
  const tag = (name: string, key: string, basis: string | null = null) =>
    session.db.prepare("INSERT INTO message_tags(message_id, tag_id, by, at, basis) VALUES (?, (SELECT id FROM tags WHERE name = ?), 'Tester', 0, ?)").run(ids[key], name, basis);
  tag('Privileged', 'm6', 'Legal advice from outside counsel (attorney-client)');
  for (const k of ['m1', 'm3', 'm5', 'm7', 'd2']) tag('Responsive', k);
  tag('Hot', 'm9');
  const text = MESSAGES.find((m) => m.key === 'm9')!.text;
  const start = text.indexOf(MARK.redacted);
  addRedaction(session, { messageId: ids.m9!, start, end: start + MARK.redacted.length, reason: 'Personal data' });
  return { session, dir, ids };
}
