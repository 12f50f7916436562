/**
 * Outside check (not part of `npm test`): imports MVT's sample iPhone backup (mvt-project/mvt,
 * tests/artifacts/ios_backup), which its licence keeps out of this repository, and checks that its
 * 1 SMS and 3 WhatsApp messages arrive. Run: node test/outside/mvt-backup-check.ts PATH/TO/ios_backup
 * Exits 0 when the counts match, 1 when they do not, 2 when the sample is not there.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ImportResultDTO, MessageDTO } from '../../src/api/dto.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SAMPLE = path.resolve(process.argv[2] ?? 'ios_backup');
const env = { ...process.env, HOLDFAST_PASSPHRASE: 'mvt outside check', HOLDFAST_EXAMINER: 'Outside check' };

function run(args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/holdfast.js'), ...args], { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function listing(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).map((e) => path.relative(dir, path.join(e.parentPath, e.name))).sort();
}

if (!fs.existsSync(path.join(SAMPLE, 'Manifest.db'))) {
  console.error(`MVT sample not found at ${SAMPLE}; nothing to check.`);
  process.exit(2);
}

const before = listing(SAMPLE);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'holdfast-mvt-'));
try {
  const caseFile = path.join(dir, 'mvt.hfcase');
  assert.equal(run(['create', caseFile, '--name', 'MVT sample', '--json']).status, 0);
  const imported = run(['import', caseFile, SAMPLE, '--json']);
  if (imported.status !== 0) throw new Error(`import failed: ${imported.stderr}`);
  const result = JSON.parse(imported.stdout) as ImportResultDTO;
  console.log(`format ${result.format}: ${result.messages} messages, ${result.conversations} conversations, ${result.warningCount} warnings`);
  for (const w of result.warnings) console.log(`  warning ${w.code} at ${w.locator}: ${w.message}`);

  const listed = run(['messages', caseFile, '--jsonl', '--include-personal']);
  const messages = listed.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as MessageDTO);
  const sms = messages.filter((m) => m.source.locator.startsWith('HomeDomain/Library/SMS/sms.db'));
  const whatsapp = messages.filter((m) => m.source.locator.includes('ChatStorage.sqlite'));
  for (const m of messages) console.log(`  ${m.sentAt} [${m.conversation}] ${m.sender ?? '(system)'}: ${m.text}`);
  console.log(`SMS/iMessage: ${sms.length} (expected 1), WhatsApp: ${whatsapp.length} (expected 3)`);

  assert.deepEqual(listing(SAMPLE), before, 'the import must not create or change files in the sample folder');
  assert.equal(whatsapp.length, 3, 'WhatsApp messages');
  assert.deepEqual(whatsapp.map((m) => m.text).sort(), ['Check https://example.org/news', 'Hi', 'Welcome']);
  assert.equal(sms.length, 1, 'SMS messages');
  assert.equal(sms[0]!.text, 'Please click here https://badbadbad.example.org/');
  console.log('MVT backup check: OK');
} catch (err) {
  console.error(`MVT backup check FAILED: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
