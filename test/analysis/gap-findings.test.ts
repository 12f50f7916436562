/**
 * Findings as evidence: on a matter where Alice's copy of the Desk chat lacks six messages Bob's
 * holds and three deletion notices fall within nine minutes, a tag applied from the deletion
 * finding (through the API) lands on exactly its messages and two either side, audited; the XLSX
 * report (read back with an independent reader) and the PDF report (pdftotext) hold every finding
 * with its count and evidence, and the printed SHA-256 is the file's; `gaps --tag --finding N` tags
 * finding N's messages from the command line.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import XLSX from 'xlsx';
import { cliHere, PASSPHRASE, tempDir } from '../helpers/case.ts';
import { inProcessHarness } from '../helpers/app.ts';
import { chatter, writeExport } from '../review/corpus.ts';
import type { Line } from '../review/corpus.ts';
import { audit, createCaseFile, importFile } from '../review/helpers.ts';
import { pdftotext } from '../production/read-back.ts';
import { describeAudit } from '../../src/api/audit-text.ts';
import type { GapReportFileDTO } from '../../src/api/analysis-dto.ts';
import type { MessageDTO } from '../../src/api/dto.ts';

const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** What a `--json` command prints (exit 0 required), run by the CLI's code in this process. */
async function cliJson<T = unknown>(args: string[]): Promise<T> {
  const r = await cliHere(args);
  assert.equal(r.status, 0, `holdfast ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

test('a finding tags its messages, and the XLSX and PDF reports hold every finding with its evidence', async () => {
  const dir = tempDir();
  const caseFile = createCaseFile(dir);
  const talk = chatter({ start: Date.UTC(2024, 0, 8, 9), count: 40, stepMs: 3_600_000, authors: ['Alice Smith', 'Bob Jones'], seed: 11 });
  const t0 = talk[20]!.at + MIN;
  const deleted: Line[] = [0, 4, 8].map((m) => ({ at: t0 + m * MIN, author: 'Bob Jones', text: 'This message was deleted' }));
  const desk = [...talk.slice(0, 21), ...deleted, ...talk.slice(21)];
  const missing = talk.slice(10, 16);
  for (const [who, lines] of [['Bob', desk], ['Alice', desk.filter((l) => !missing.includes(l))]] as const) {
    const sub = path.join(dir, who);
    fs.mkdirSync(sub);
    await importFile(caseFile, writeExport(sub, 'Desk', lines), who);
  }

  // Tag from the deletion finding in the app, two messages of context either side.
  const h = await inProcessHarness();
  try {
    await h.ctx.open(caseFile, PASSPHRASE);
    const report = await h.client.call('analysis.gaps', {});
    assert.deepEqual([report.crossCustodian.map((g) => g.count), report.deletions.map((d) => d.count), report.silences.length, report.sequence.length], [[6], [3], 0, 0]);
    const cluster = report.deletions[0]!;
    const tagged = await h.client.call('analysis.tagFinding', { tag: 'Hot', finding: 'Deletions in Desk', conversationId: cluster.conversationId, messageIds: cluster.messageIds, around: 2 });
    assert.deepEqual([tagged.tag, tagged.changed, tagged.messageIds.length], ['Hot', 7, 7]);
    const wrongConversation = await h.client.call('analysis.tagFinding', { tag: 'Hot', finding: 'x', conversationId: cluster.conversationId + 1000, messageIds: cluster.messageIds }).catch((e: { code: string }) => e.code);
    assert.equal(wrongConversation, 'NOT_FOUND');
    const written = await h.client.call('analysis.gapsReport', { path: path.join(dir, 'findings.xlsx') });
    assert.deepEqual([written.format, written.findings], ['xlsx', 2]);
  } finally {
    await h.close();
  }

  const messages = (await cliHere(['messages', caseFile, '--jsonl'])).stdout.trim().split('\n').map((l) => JSON.parse(l) as MessageDTO);
  const hot = messages.filter((m) => m.tags.includes('Hot')).map((m) => [m.sentAt, m.text]);
  assert.deepEqual(hot, [talk[19]!, talk[20]!, ...deleted, talk[21]!, talk[22]!].map((l) => [iso(l.at), l.text]));
  const entry = audit(caseFile).find((e) => e.action === 'gaps.tag')!;
  assert.match(describeAudit(entry.action, entry.details), /^Tagged the 7 messages of a gap finding \(Deletions in Desk\) “Hot”\.$/);

  // The XLSX: every finding with its count, its own messages marked and three of context either side.
  const xlsxFile = path.join(dir, 'findings.xlsx');
  const reported = audit(caseFile).find((e) => e.action === 'gaps.report')!;
  assert.equal((reported.details as { sha256: string }).sha256, crypto.createHash('sha256').update(fs.readFileSync(xlsxFile)).digest('hex'));
  const wb = XLSX.readFile(xlsxFile);
  assert.deepEqual(wb.SheetNames, ['Report', 'Findings', 'Evidence']);
  const all = (sheet: string) => XLSX.utils.sheet_to_json<unknown[]>(wb.Sheets[sheet]!, { header: 1, raw: true });
  const rows = (sheet: string) => all(sheet).slice(1);
  assert.match(String(all('Report')[0]), /^Deletion-gap findings,Internal report for counsel/);
  assert.deepEqual(rows('Findings').map((r) => r.slice(0, 7)), [
    [1, 'Missing from a copy', 'Desk', 6, 'messages', iso(missing[0]!.at), iso(missing.at(-1)!.at)],
    [2, 'Deletions', 'Desk', 3, 'messages', iso(deleted[0]!.at), iso(deleted.at(-1)!.at)],
  ]);
  const evidence = rows('Evidence') as [number, string, number, string, string, string, string, string][];
  const of = (n: number, part: string) => evidence.filter((r) => r[0] === n && r[1] === part).map((r) => [r[3], r[7]]);
  const lines = (ls: Line[]) => ls.map((l) => [iso(l.at), l.text]);
  assert.deepEqual(of(1, 'finding'), lines(missing));
  assert.deepEqual(of(1, 'context'), lines([...talk.slice(7, 10), ...talk.slice(16, 19)]));
  assert.deepEqual(of(2, 'finding'), lines(deleted));
  assert.deepEqual(of(2, 'context'), lines([...talk.slice(18, 21), ...talk.slice(21, 24)]));
  assert.ok(evidence.filter((r) => r[0] === 1 && r[1] === 'finding').every((r) => r[5] === 'Bob: WhatsApp Chat with Desk.txt'));
  assert.ok(evidence.filter((r) => r[0] === 2 && r[1] === 'finding').every((r) => r[5] === 'Bob: WhatsApp Chat with Desk.txt; Alice: WhatsApp Chat with Desk.txt' && r[6] === 'yes'));

  // The PDF from the command line, its SHA-256 printed; an existing file is never overwritten.
  const pdf = path.join(dir, 'findings.pdf');
  const out = await cliJson<GapReportFileDTO>(['gaps', caseFile, '--report', pdf, '--around', '1', '--json']);
  assert.deepEqual([out.format, out.findings, out.evidence], ['pdf', 2, 6 + 2 + 3 + 2]);
  assert.equal(out.sha256, crypto.createHash('sha256').update(fs.readFileSync(pdf)).digest('hex'));
  const text = pdftotext(pdf).replace(/\s+/g, ' ');
  assert.match(text, /Internal report for counsel/);
  assert.match(text, /Finding 1 — Missing from a copy — Desk 6 messages missing from Alice's copy, held by Bob/);
  assert.match(text, /Finding 2 — Deletions — Desk 3 messages marked deleted by the source/);
  for (const l of [...missing, talk[9]!, talk[16]!, talk[20]!, talk[21]!]) assert.ok(text.includes(l.text), l.text);
  const again = await cliHere(['gaps', caseFile, '--report', pdf]);
  assert.equal(again.status, 1);
  assert.match(again.stderr, /VALIDATION: .* exists already/);
  assert.equal((await cliHere(['gaps', caseFile, '--around', '2'])).status, 2);

  // From the command line, by the finding's number in the report: finding 1's six messages, no context.
  const byNumber = await cliJson<{ changed: number; messageIds: number[] }>(['gaps', caseFile, '--tag', 'Hot', '--finding', '1', '--around', '0', '--json']);
  assert.equal(byNumber.changed, 6);
  const hotNow = (await cliHere(['messages', caseFile, '--jsonl'])).stdout.trim().split('\n').map((l) => JSON.parse(l) as MessageDTO).filter((m) => m.tags.includes('Hot'));
  assert.deepEqual(hotNow.filter((m) => byNumber.messageIds.includes(m.id)).map((m) => m.text), missing.map((l) => l.text));
  assert.equal((await cliHere(['gaps', caseFile, '--tag', 'Hot', '--finding', '3'])).status, 1);
});
