/**
 * Two writers beyond two CLI imports (test/reliability/faults.test.ts): the app's transport (the
 * loopback server's core, as `holdfast serve` runs it) tagging while a CLI import writes, and two
 * productions at once. Writes serialise on SQLite's busy timeout or are refused with CASE_BUSY;
 * nothing is lost either way. The writers that run at once are child processes; the set-up and the
 * checks after them run by the CLI's code in this process.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { cliInProcess, makeCaseFile, PASSPHRASE, ROOT, tempDir } from '../helpers/case.ts';
import { whatsappLines } from '../helpers/generate.ts';
import { loopbackHarness } from '../helpers/app.ts';
import { ApiError } from '../../src/api/client.ts';

interface InfoJson {
  messages: number;
}

function writeChat(file: string, messages: number, seed: number): void {
  fs.writeFileSync(file, `${[...whatsappLines({ messages, seed })].join('\n')}\n`);
}

/** What a command prints (exit 0 required), run by the CLI's code in this process. */
async function inProcess(args: string[]): Promise<string> {
  const r = await cliInProcess(args);
  assert.equal(r.status, 0, `holdfast ${args.join(' ')} exited ${r.status}: ${r.stderr}${r.stdout}`);
  return r.stdout;
}

const cliJson = async <T = unknown>(args: string[]): Promise<T> => JSON.parse(await inProcess(args)) as T;

function holdfast(args: string[]): { exited: Promise<{ code: number; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/holdfast.js'), ...args], {
    env: { ...process.env, HOLDFAST_PASSPHRASE: PASSPHRASE, HOLDFAST_EXAMINER: 'Tester' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return { exited: new Promise((resolve) => child.once('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }))) };
}

test('tagging through the app while a CLI import runs: every tag lands, every message arrives', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'c.hfcase');
  makeCaseFile(file);
  const small = path.join(dir, 'WhatsApp Chat with Small.txt');
  writeChat(small, 200, 61);
  await cliJson(['import', file, small, '--tz', 'UTC', '--json']);
  const big = path.join(dir, 'WhatsApp Chat with Big.txt');
  writeChat(big, 30_000, 62);

  const h = await loopbackHarness();
  try {
    await h.client.call('cases.open', { path: file, passphrase: PASSPHRASE });
    await h.client.call('tags.create', { name: 'Concurrent', kind: 'coding' });
    const ids = (await h.client.call('search.query', { query: 'invoice', limit: 1000 })).hits.map((x) => x.messageId);
    assert.ok(ids.length > 10);
    const run = holdfast(['import', file, big, '--tz', 'UTC', '--json']);
    let importDone = false;
    void run.exited.then(() => (importDone = true));
    // One tag per message, applied one by one for as long as the import runs (at least once each).
    const applied: number[] = [];
    const refused: string[] = [];
    let i = 0;
    while (i < ids.length && (!importDone || applied.length + refused.length < ids.length)) {
      const id = ids[i++]!;
      try {
        const r = await h.client.call('tags.apply', { tag: 'Concurrent', target: { messageIds: [id] } });
        assert.equal(r.changed, 1);
        applied.push(id);
      } catch (err) {
        // Serialised by the busy timeout; if that ran out, the refusal must be a clear CASE_BUSY.
        assert.ok(err instanceof ApiError && err.code === 'CASE_BUSY', `tagging during an import failed with ${String(err)}`);
        refused.push(String(id));
      }
    }
    const imported = await run.exited;
    assert.equal(imported.code, 0, imported.stderr);
    assert.equal((JSON.parse(imported.stdout) as { messages: number }).messages, 30_000);
    assert.ok(applied.length > 0);
    // What the app reported as tagged is tagged in the file; nothing the import wrote is lost.
    const tagged = await cliJson<{ total: number; hits: { messageId: number }[] }>(['search', file, 'tag:Concurrent', '--limit', '1000', '--json']);
    assert.deepEqual(tagged.hits.map((x) => x.messageId).sort((a, b) => a - b), [...applied].sort((a, b) => a - b));
    assert.equal((await cliJson<InfoJson>(['info', file, '--json'])).messages, 30_200);
    await inProcess(['verify', file]);
  } finally {
    await h.close();
  }
});

test('two productions at once both complete (or one is refused clearly); no partial folder, every one recorded', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'c.hfcase');
  makeCaseFile(file);
  const chat = path.join(dir, 'WhatsApp Chat with Both.txt');
  writeChat(chat, 1_000, 63);
  await cliJson(['import', file, chat, '--tz', 'UTC', '--json']);
  const selected = (await cliJson<{ total: number }>(['search', file, 'invoice bonus', '--limit', '1', '--json'])).total;
  const outs = [path.join(dir, 'prod-a'), path.join(dir, 'prod-b')];
  const runs = [
    holdfast(['produce', file, '--format', 'pdf', '--out', outs[0]!, '--query', 'invoice bonus', '--bates-prefix', 'A', '--json']),
    holdfast(['produce', file, '--format', 'xlsx', '--out', outs[1]!, '--query', 'invoice bonus', '--bates-prefix', 'B', '--json']),
  ];
  const results = await Promise.all(runs.map((r) => r.exited));
  let completed = 0;
  results.forEach((r, i) => {
    if (r.code === 0) {
      completed++;
      assert.equal((JSON.parse(r.stdout) as { messages: number }).messages, selected);
      assert.ok(fs.existsSync(path.join(outs[i]!, 'manifest.json')));
    } else {
      assert.equal(r.code, 1);
      assert.match(r.stderr, /^holdfast: CASE_BUSY: /, r.stderr);
      assert.ok(!fs.existsSync(outs[i]!), 'a refused production leaves no folder');
    }
  });
  assert.ok(completed >= 1);
  assert.deepEqual(fs.readdirSync(dir).filter((n) => n.includes('holdfast-partial')), []);
  const recorded = (await cliJson<{ action: string }[]>(['audit', file, '--json'])).filter((e) => e.action === 'production.create').length;
  assert.equal(recorded, completed);
  await inProcess(['verify', file]);
});
