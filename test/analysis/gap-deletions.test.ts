/**
 * Deletion clusters in the gap report: the Desk chat, held by Alice and Bob, has four deletion
 * notices (in English, Spanish and German) within 40 minutes, and one lone deletion days later;
 * the Ops chat has two deletions three hours apart. Expectations come from the generated lines.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { cli, cliJson, tempDir } from '../helpers/case.ts';
import { chatter, writeExport } from '../review/corpus.ts';
import type { Line } from '../review/corpus.ts';
import { createCaseFile, importFile } from '../review/helpers.ts';
import type { GapReportDTO } from '../../src/api/analysis-dto.ts';

const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
const byTime = (a: Line, b: Line) => a.at - b.at;

test('gaps lists each close run of deleted messages per conversation, with the custodians whose copies hold them', async () => {
  const dir = tempDir();
  const caseFile = createCaseFile(dir);
  const t0 = Date.UTC(2024, 0, 9, 14, 2);
  const cluster: Line[] = [
    { at: t0, author: 'Alice Smith', text: 'This message was deleted' },
    { at: t0 + 5 * MIN, author: 'Bob Jones', text: 'Se eliminó este mensaje' },
    { at: t0 + 12 * MIN, author: 'Alice Smith', text: 'This message was deleted' },
    { at: t0 + 40 * MIN, author: 'Bob Jones', text: 'Diese Nachricht wurde gelöscht' },
  ];
  const lone: Line = { at: t0 + 3 * 86_400_000, author: 'Alice Smith', text: 'This message was deleted' };
  const desk = [...chatter({ start: Date.UTC(2024, 0, 8, 9), count: 120, stepMs: 3_600_000, authors: ['Alice Smith', 'Bob Jones'], seed: 4 }), ...cluster, lone].sort(byTime);
  // Alice's export starts a day later (a different file), so the shared lines are two copies of one message.
  for (const [who, lines] of [['Bob', desk], ['Alice', desk.filter((l) => l.at >= Date.UTC(2024, 0, 9))]] as const) {
    const sub = path.join(dir, who);
    fs.mkdirSync(sub);
    await importFile(caseFile, writeExport(sub, 'Desk', lines), who);
  }
  const o0 = Date.UTC(2024, 1, 2, 9, 30);
  const opsDeleted: Line[] = [
    { at: o0, author: 'Dan Ops', text: 'This message was deleted' },
    { at: o0 + 180 * MIN, author: 'Dan Ops', text: 'This message was deleted' },
  ];
  const ops = [...chatter({ start: Date.UTC(2024, 1, 1, 8), count: 40, stepMs: 3 * 3_600_000, authors: ['Bob Jones', 'Dan Ops'], seed: 5 }), ...opsDeleted].sort(byTime);
  await importFile(caseFile, writeExport(dir, 'Ops', ops), 'Bob');

  const report = cliJson<GapReportDTO>(['gaps', caseFile, '--json']);
  assert.deepEqual(Object.keys(report), ['crossCustodian', 'sequence', 'silences', 'coverage', 'deletions']);
  assert.equal(report.deletions.length, 1);
  const d = report.deletions[0]!;
  assert.deepEqual([d.conversation, d.count, d.first, d.last, d.custodians], ['Desk', 4, iso(t0), iso(t0 + 40 * MIN), ['Alice', 'Bob']]);
  assert.equal(d.rule, 'deletions no more than 60 minutes apart, at least 2');
  const messages = cli(['messages', caseFile, '--conversation', String(d.conversationId), '--jsonl']).stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: number; text: string; sentAt: string; deleted: boolean });
  const byId = new Map(messages.map((m) => [m.id, m]));
  assert.deepEqual(d.messageIds.map((id) => [byId.get(id)!.sentAt, byId.get(id)!.text, byId.get(id)!.deleted]), cluster.map((l) => [iso(l.at), l.text, true]));

  // A wider window joins the Ops pair too (three hours apart); the lone Desk deletion stays alone.
  const wide = cliJson<GapReportDTO>(['gaps', caseFile, '--deletion-window', '240', '--json']);
  assert.deepEqual(wide.deletions.map((c) => [c.conversation, c.count, c.first, c.last, c.custodians]), [
    ['Desk', 4, iso(t0), iso(t0 + 40 * MIN), ['Alice', 'Bob']],
    ['Ops', 2, iso(o0), iso(o0 + 180 * MIN), ['Bob']],
  ]);

  const text = cli(['gaps', caseFile]);
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /Deletion clusters: 1\n {2}Desk \(conversation \d+\): 4 deleted messages, 2024-01-09T14:02:00.000Z – 2024-01-09T14:42:00.000Z, in the copies of Alice, Bob/);
  assert.equal(cli(['gaps', caseFile, '--deletion-window', 'soon']).status, 2);
});
