/**
 * Standing lexicon surveillance end to end through the CLI (its code in this process; the refusals'
 * exit status and error line once each in a child process: `cliHere`): a policy made before an
 * import raises alerts for exactly that import's hits inside its scope; dispositions persist across
 * openings, show in the audit log and in the policy's metrics; on demand the policy covers the whole
 * case.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { cliHere, tempDir } from '../helpers/case.ts';
import { writeExport } from '../review/corpus.ts';
import type { Line } from '../review/corpus.ts';
import { audit, createCaseFile, importFile } from '../review/helpers.ts';
import type { ImportResultDTO, PageDTO } from '../../src/api/dto.ts';
import type { AlertDTO, PolicyDTO, SurveillanceRunDTO } from '../../src/api/surveillance-dto.ts';
import { STARTER_LEXICONS } from '../../src/surveillance/starter-lexicons.ts';

const H = 3_600_000;
/** Lines with whether the policy (`call w/3 signal` or "delete this") should hit them. */
function lines(start: number, texts: [string, boolean][], other = 'Bob Jones'): { lines: Line[]; hits: string[] } {
  return {
    lines: texts.map(([text], i) => ({ at: start + i * H, author: i % 2 ? other : 'Alice Smith', text })),
    hits: texts.filter(([, hit]) => hit).map(([text]) => text),
  };
}

/** What a `--json` command prints (exit 0 required), run by the CLI's code in this process. */
async function cliJson<T = unknown>(args: string[]): Promise<T> {
  const r = await cliHere(args);
  assert.equal(r.status, 0, `holdfast ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

test('a policy made before an import raises alerts for that import\'s hits; dispositions persist and are audited', async () => {
  const dir = tempDir();
  const caseFile = createCaseFile(dir);
  const earlier = lines(Date.UTC(2024, 0, 2, 9), [['call me on signal tonight', true], ['fine', false]], 'Carol White');
  await importFile(caseFile, writeExport(dir, 'Earlier', earlier.lines), 'Alice');

  const policy = await cliJson<PolicyDTO>(['policy', caseFile, 'add', '--name', 'Off-channel', '--term', 'call w/3 signal', '--term', '"delete this"', '--custodian', 'Alice', '--json']);
  assert.deepEqual([policy.name, policy.terms, policy.scope, policy.example, policy.enabled], ['Off-channel', ['call w/3 signal', '"delete this"'], { custodians: ['Alice'] }, false, true]);

  const desk = lines(Date.UTC(2024, 1, 5, 9), [
    ['ok call me on signal after the close', true],
    ['signal is weak, call tomorrow', true],
    ['call the desk about the new trading signal', false],
    ['please delete this thread now', true],
    ['delete the old draft, this one is final', false],
    ['lunch?', false],
  ]);
  const imported = await importFile(caseFile, writeExport(dir, 'Desk', desk.lines), 'Alice');
  assert.equal(imported.surveillance?.total, desk.hits.length);
  // Out of scope: another custodian's import raises nothing.
  const bobsDir = path.join(dir, 'bob');
  fs.mkdirSync(bobsDir);
  const bob = lines(Date.UTC(2024, 1, 9, 9), [['call me on signal', true]]);
  assert.equal((await importFile(caseFile, writeExport(bobsDir, 'Bob desk', bob.lines), 'Bob')).surveillance?.total, 0);

  const queue = await cliJson<PageDTO<AlertDTO>>(['alerts', caseFile, '--json']);
  assert.deepEqual(queue.items.map((a) => a.text).sort(), [...desk.hits].sort());
  assert.deepEqual(new Set(queue.items.map((a) => JSON.stringify([a.status, a.policy, a.conversation, a.sourceId]))), new Set([JSON.stringify(['open', 'Off-channel', 'Desk', imported.sourceId])]));
  const first = queue.items.find((a) => a.text === desk.hits[0])!;
  assert.deepEqual(first.context.map((c) => c.text), [desk.lines[1]!.text, desk.lines[2]!.text], 'the first message has no context before it');
  assert.equal(first.term, 'call w/3 signal');

  const deleteAlert = queue.items.find((a) => a.text === 'please delete this thread now')!;
  const weak = queue.items.find((a) => a.text === 'signal is weak, call tomorrow')!;
  assert.equal((await cliHere(['alert-disposition', caseFile, '--alert', String(weak.id), '--false-positive'])).status, 1, 'a false positive needs a reason');
  await cliJson(['alert-disposition', caseFile, '--alert', String(deleteAlert.id), '--escalate', '--reason', 'asks to destroy records', '--json']);
  await cliJson(['alert-disposition', caseFile, '--alert', String(weak.id), '--false-positive', '--reason', 'about reception, not a channel', '--json']);

  // Each CLI call is a new opening of the case: the dispositions were stored.
  const after = (await cliJson<PageDTO<AlertDTO>>(['alerts', caseFile, '--json'])).items;
  assert.deepEqual(after.filter((a) => a.status !== 'open').map((a) => [a.id, a.status, a.reason, a.disposedBy]).sort(), [
    [deleteAlert.id, 'escalated', 'asks to destroy records', 'Tester'],
    [weak.id, 'false-positive', 'about reception, not a channel', 'Tester'],
  ].sort());
  assert.equal((await cliJson<PageDTO<AlertDTO>>(['alerts', caseFile, '--status', 'open', '--json'])).total, desk.hits.length - 2);
  const entries = audit(caseFile).filter((e) => e.action === 'alert.disposition');
  assert.deepEqual(entries.map((e) => [(e.details as { alertId: number }).alertId, (e.details as { after: { status: string } }).after.status]), [
    [deleteAlert.id, 'escalated'],
    [weak.id, 'false-positive'],
  ]);

  const [listed] = await cliJson<PolicyDTO[]>(['policy', caseFile, 'list', '--json']);
  assert.deepEqual({ ...listed!.metrics, medianHoursToDisposition: null }, {
    alerts: desk.hits.length, open: desk.hits.length - 2, escalated: 1, falsePositives: 1, escalationRate: 0.5, medianHoursToDisposition: null,
  });
  assert.ok(listed!.metrics.medianHoursToDisposition! >= 0);

  // On demand the policy covers the whole case: the earlier import's hit (Alice), not Bob's.
  const run = await cliJson<SurveillanceRunDTO>(['policy', caseFile, 'run', '--json']);
  assert.deepEqual(run, { raised: [{ policyId: policy.id, policy: 'Off-channel', alerts: earlier.hits.length }], total: earlier.hits.length });
  assert.equal((await cliJson<SurveillanceRunDTO>(['policy', caseFile, 'run', '--json'])).total, 0, 'an alert is raised once');
});

test('the starter lexicons install as editable examples and every term parses', async () => {
  const dir = tempDir();
  const caseFile = createCaseFile(dir);
  const added = await cliJson<PolicyDTO[]>(['policy', caseFile, 'add', '--starter', '--json']);
  assert.deepEqual(added.map((p) => [p.name, p.example, p.terms]), STARTER_LEXICONS.map((l) => [l.name, true, l.terms]));
  assert.deepEqual(await cliJson<PolicyDTO[]>(['policy', caseFile, 'add', '--starter', '--json']), [], 'already there');
  const edited = await cliJson<PolicyDTO>(['policy', caseFile, 'edit', String(added[0]!.id), '--term', '"take this offline"', '--disable', '--json']);
  assert.deepEqual([edited.terms, edited.enabled, edited.example], [['"take this offline"'], false, true]);
  const bad = await cliHere(['policy', caseFile, 'add', '--name', 'Broken', '--term', 'price w/ deal']);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /^holdfast: VALIDATION: Policy "Broken", term "price w\/ deal"/);
});
