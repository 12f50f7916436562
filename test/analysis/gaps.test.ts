/**
 * The deletion-gap report on a matter built for it: Alice's copy of the Desk chat lacks 37 messages
 * Bob's copy holds (a run of 30 and a run of 7), a Telegram supergroup export skips ids, and the Ops
 * chat falls silent for three weeks. Expectations are computed from the generated lines, not the case;
 * holes in ids and parts not covered name the messages either side, in `--json` and in the report.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { cliHere, tempDir } from '../helpers/case.ts';
import { chatter, writeExport } from '../review/corpus.ts';
import type { Line } from '../review/corpus.ts';
import XLSX from 'xlsx';
import { createCaseFile, importFile } from '../review/helpers.ts';
import type { ImportResultDTO } from '../../src/api/dto.ts';
import type { GapReportDTO } from '../../src/api/analysis-dto.ts';

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

function telegramExport(dir: string, ids: number[], start: number): string {
  const messages = ids.map((id, i) => {
    const at = start + i * 3_600_000;
    return { id, type: 'message', date: iso(at).slice(0, 19), date_unixtime: String(at / 1000), from: 'Carol', from_id: 'user77', text: `update ${id}` };
  });
  const file = path.join(dir, 'result.json');
  fs.writeFileSync(file, JSON.stringify({ name: 'Rates desk', type: 'private_supergroup', id: 4242, messages }, null, 1));
  return file;
}

/** What a `--json` command prints (exit 0 required), run by the CLI's code in this process. */
async function cliJson<T = unknown>(args: string[]): Promise<T> {
  const r = await cliHere(args);
  assert.equal(r.status, 0, `holdfast ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

test('gaps reports exactly the messages one copy lacks, the ids a source skips and a three-week silence', async () => {
  const dir = tempDir();
  const caseFile = createCaseFile(dir);
  const desk = chatter({ start: Date.UTC(2024, 0, 8, 9), count: 120, stepMs: 3_600_000, authors: ['Alice Smith', 'Bob Jones'], seed: 3 });
  const missing = new Set([...Array.from({ length: 30 }, (_, i) => 40 + i), ...Array.from({ length: 7 }, (_, i) => 90 + i)]);
  const aliceDesk = desk.filter((_, i) => !missing.has(i));
  for (const [who, lines] of [['Bob', desk], ['Alice', aliceDesk]] as const) {
    const sub = path.join(dir, who);
    fs.mkdirSync(sub);
    await importFile(caseFile, writeExport(sub, 'Desk', lines), who);
  }
  const before = chatter({ start: Date.UTC(2024, 1, 1, 8), count: 60, stepMs: 3 * 3_600_000, authors: ['Bob Jones', 'Dan Ops'], seed: 5 });
  const resume = before.at(-1)!.at + 21 * DAY;
  const after = chatter({ start: resume, count: 40, stepMs: 3 * 3_600_000, authors: ['Bob Jones', 'Dan Ops'], seed: 6 });
  const ops: Line[] = [...before, ...after];
  await importFile(caseFile, writeExport(dir, 'Ops', ops), 'Bob');
  const ids = Array.from({ length: 50 }, (_, i) => i + 1).filter((id) => !(id >= 21 && id <= 25) && id !== 40 && id !== 41 && id !== 42);
  const tgStart = Date.UTC(2024, 2, 4, 10);
  const tg = await cliJson<ImportResultDTO>(['import', caseFile, telegramExport(dir, ids, tgStart), '--custodian', 'Alice', '--tz', 'UTC', '--json']);

  const report = await cliJson<GapReportDTO>(['gaps', caseFile, '--from', '2024-01-01', '--to', '2024-03-31', '--json']);
  assert.deepEqual(Object.keys(report), ['crossCustodian', 'sequence', 'silences', 'coverage', 'deletions']);
  assert.deepEqual(report.deletions, []);

  // Cross-custodian: two spans, 37 messages, all missing from Alice and held by Bob; nothing missing from Bob.
  const spans = report.crossCustodian;
  assert.deepEqual(spans.map((s) => [s.conversation, s.missingFrom, s.presentIn, s.count]), [['Desk', 'Alice', ['Bob'], 30], ['Desk', 'Alice', ['Bob'], 7]]);
  assert.equal(spans.reduce((n, s) => n + s.count, 0), 37);
  assert.deepEqual([spans[0]!.first, spans[0]!.last], [iso(desk[40]!.at), iso(desk[69]!.at)]);
  assert.deepEqual([spans[1]!.first, spans[1]!.last], [iso(desk[90]!.at), iso(desk[96]!.at)]);
  const messages = (await cliHere(['messages', caseFile, '--conversation', String(spans[0]!.conversationId), '--jsonl'])).stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: number; text: string });
  const textOf = new Map(messages.map((m) => [m.id, m.text]));
  assert.deepEqual(spans.flatMap((s) => s.messageIds.map((id) => textOf.get(id))), [...missing].map((i) => desk[i]!.text));

  // Every message of the case, to say what a finding's message references point at.
  const everything = (await cliHere(['messages', caseFile, '--jsonl'])).stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: number; conversationId: number; text: string });
  const byId = new Map(everything.map((m) => [m.id, m]));
  const said = (ref: { messageId: number; conversationId: number } | null) => {
    if (!ref) return null;
    const m = byId.get(ref.messageId)!;
    assert.equal(m.conversationId, ref.conversationId);
    return m.text;
  };

  // Sequence: ids 21–25 and 40–42 never reached the case; the messages either side are named.
  assert.deepEqual(report.sequence.map(({ messageBeforeHole, messageAfterHole, ...g }) => ({ ...g, either: [said(messageBeforeHole), said(messageAfterHole)] })), [
    { sourceId: tg.sourceId, field: 'Telegram message id in Rates desk', after: 20, before: 26, missing: 5, either: ['update 20', 'update 26'] },
    { sourceId: tg.sourceId, field: 'Telegram message id in Rates desk', after: 39, before: 43, missing: 3, either: ['update 39', 'update 43'] },
  ]);

  // Silences: the three weeks in Ops, and nothing else.
  assert.equal(report.silences.length, 1);
  const silence = report.silences[0]!;
  assert.deepEqual([silence.conversation, silence.from, silence.to, silence.days], ['Ops', iso(before.at(-1)!.at), iso(resume), 21]);
  assert.match(silence.statistic, /^gap of 21 days > Q3 \+ 3×IQR = [\d.]+ days \(Tukey far-out fence over the conversation's 99 gaps/);

  // Coverage against the matter range given.
  const matterFrom = Date.UTC(2024, 0, 1);
  const matterTo = Date.UTC(2024, 2, 31) + DAY - 1;
  const alice = report.coverage.find((c) => c.custodian === 'Alice')!;
  const tgLast = tgStart + (ids.length - 1) * 3_600_000;
  assert.deepEqual(alice.sources.map((s) => [s.format, s.messages, s.from, s.to]), [
    ['whatsapp-txt', aliceDesk.length, iso(aliceDesk[0]!.at), iso(aliceDesk.at(-1)!.at)],
    ['telegram-json', ids.length, iso(tgStart), iso(tgLast)],
  ]);
  assert.deepEqual(alice.sources.map((s) => [said(s.firstMessage), said(s.lastMessage)]), [
    [aliceDesk[0]!.text, aliceDesk.at(-1)!.text],
    ['update 1', 'update 50'],
  ]);
  assert.deepEqual(alice.uncovered.map((u) => [u.from, u.to, said(u.messageBefore), said(u.messageAfter)]), [
    [iso(matterFrom), iso(aliceDesk[0]!.at), null, aliceDesk[0]!.text],
    [iso(aliceDesk.at(-1)!.at), iso(tgStart), aliceDesk.at(-1)!.text, 'update 1'],
    [iso(tgLast), iso(matterTo), 'update 50', null],
  ]);
  const bob = report.coverage.find((c) => c.custodian === 'Bob')!;
  assert.deepEqual(bob.uncovered.map((u) => [u.from, u.to, said(u.messageBefore), said(u.messageAfter)]), [
    [iso(matterFrom), iso(desk[0]!.at), null, desk[0]!.text],
    [iso(desk.at(-1)!.at), iso(before[0]!.at), desk.at(-1)!.text, before[0]!.text],
    [iso(after.at(-1)!.at), iso(matterTo), after.at(-1)!.text, null],
  ]);

  const text = await cliHere(['gaps', caseFile]);
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /Desk \(conversation \d+\): 30 messages missing from Alice's copy, held by Bob/);
  const [holeBefore, holeAfter] = [report.sequence[0]!.messageBeforeHole.messageId, report.sequence[0]!.messageAfterHole.messageId];
  assert.match(text.stdout, new RegExp(`5 missing between 20 and 26 \\(messages ${holeBefore} and ${holeAfter}\\)`));
  assert.equal((await cliHere(['gaps', caseFile, '--from', 'yesterday'])).status, 2);

  // The findings report lists the messages either side of each hole and of each part not covered, with their conversation.
  const xlsxFile = path.join(dir, 'gaps.xlsx');
  const written = await cliHere(['gaps', caseFile, '--from', '2024-01-01', '--to', '2024-03-31', '--report', xlsxFile]);
  assert.equal(written.status, 0, written.stderr);
  const wb = XLSX.readFile(xlsxFile);
  const rows = (sheet: string) => XLSX.utils.sheet_to_json<unknown[]>(wb.Sheets[sheet]!, { header: 1, raw: true }).slice(1);
  const evidence = rows('Evidence') as [number, string, number, string, string, string, string, string, string][];
  const evidenceOf = (kind: string) =>
    rows('Findings').filter((f) => f[1] === kind && f[2] !== 'Bob').map((f) => evidence.filter((e) => e[0] === f[0]).map((e) => [e[1], e[7], e[8]]));
  assert.deepEqual(evidenceOf('Hole in source ids'), [
    [['finding', 'update 20', 'Rates desk'], ['finding', 'update 26', 'Rates desk']],
    [['finding', 'update 39', 'Rates desk'], ['finding', 'update 43', 'Rates desk']],
  ]);
  assert.deepEqual(evidenceOf('Not covered'), [
    [['finding', aliceDesk[0]!.text, 'Desk']],
    [['finding', aliceDesk.at(-1)!.text, 'Desk'], ['finding', 'update 1', 'Rates desk']],
    [['finding', 'update 50', 'Rates desk']],
  ]);
});
