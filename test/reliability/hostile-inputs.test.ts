/**
 * Every importer against broken and hostile input: empty files, random bytes under every extension,
 * invalid UTF-8, a 30 MB single line, deep JSON nesting, truncations — through the CLI's code for the
 * contract (one `holdfast: CODE: message` line naming the file, case unchanged; each error class also
 * through a child process: `cliHere`) and in-process with
 * fast-check for the property that nothing but a typed error ever escapes an importer.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { cli, cliHere, cliInProcess, makeCaseFile, tempDir } from '../helpers/case.ts';
import { IMPORTERS } from '../../src/importers/registry.ts';
import { HoldfastError } from '../../src/api/errors.ts';
import type { ImportContext } from '../../src/importers/types.ts';

const IMPORT_CODES = /^holdfast: (IMPORT_UNSUPPORTED_SOURCE|IMPORT_SOURCE_CORRUPT|IMPORT_NEEDS_PASSWORD): /;
const EXTENSIONS = ['.txt', '.zip', '.xml', '.json', '.db', '.sqlite', '.mbox', '.eml', '.rsmf'];

interface InfoJson {
  messages: number;
  sources: number;
}

async function info(file: string): Promise<InfoJson> {
  const r = await cliInProcess(['info', file, '--json']);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as InfoJson;
}

function hostileFiles(dir: string): string[] {
  const files: string[] = [];
  const put = (name: string, content: Buffer | string) => {
    const f = path.join(dir, name);
    fs.writeFileSync(f, content);
    files.push(f);
  };
  for (const ext of EXTENSIONS) {
    put(`empty${ext}`, '');
    put(`random${ext}`, randomBytes(64 * 1024));
  }
  put('invalid-utf8.txt', Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0xf0, 0x28, 0x8c, 0x28, 0x0a]));
  put('deep.json', `${'['.repeat(200_000)}${']'.repeat(200_000)}`);
  put('truncated.zip', Buffer.concat([Buffer.from('PK\u0003\u0004', 'latin1'), randomBytes(200)]));
  put('truncated.db', Buffer.concat([Buffer.from('SQLite format 3\u0000', 'latin1'), randomBytes(3000)]));
  put('truncated.xml', '<?xml version="1.0"?><smses count="2"><sms address="+1" date="1" body="hi');
  put('one-line.txt', 'x'.repeat(30 * 1024 * 1024));
  return files;
}

test('hostile files through the CLI: a typed error naming the file, or warnings only; the case is unchanged', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'c.hfcase');
  makeCaseFile(file);
  const before = await info(file);
  const inputs = tempDir();
  for (const f of hostileFiles(inputs)) {
    const r = await cliHere(['import', file, f, '--tz', 'UTC']);
    if (r.status === 0) continue; // accepted with warnings (e.g. a text file with no messages is refused below)
    assert.equal(r.status, 1, `${path.basename(f)}: exit ${r.status}: ${r.stderr}`);
    assert.match(r.stderr, IMPORT_CODES, `${path.basename(f)}: ${r.stderr}`);
    assert.ok(r.stderr.includes(path.basename(f)), `${path.basename(f)}: the error names the file: ${r.stderr}`);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  }
  const after = await info(file);
  assert.deepEqual(after.messages, before.messages);
  assert.equal(cli(['verify', file]).status, 0);
});

test('every importer forced onto garbage fails with an import code, never INTERNAL', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'c.hfcase');
  makeCaseFile(file);
  const inputs = tempDir();
  const garbage = path.join(inputs, 'garbage.bin');
  fs.writeFileSync(garbage, randomBytes(32 * 1024));
  for (const importer of IMPORTERS) {
    const r = await cliHere(['import', file, garbage, '--format', importer.id, '--tz', 'UTC']);
    if (r.status === 0) continue;
    assert.match(r.stderr, IMPORT_CODES, `${importer.id}: ${r.stderr}`);
    assert.ok(r.stderr.includes('garbage.bin'), `${importer.id} names the file: ${r.stderr}`);
  }
  assert.equal((await info(file)).messages, 0);
});

/** Drives an importer in-process; resolves with the record count, rejects only with what escaped it. */
async function drain(importerId: string, file: string): Promise<number> {
  const importer = IMPORTERS.find((i) => i.id === importerId)!;
  const ctx: ImportContext = {
    path: file,
    options: { tz: 'UTC' },
    signal: new AbortController().signal,
    warn: () => {},
    progress: () => {},
  };
  let n = 0;
  for await (const record of importer.read(ctx)) {
    n++;
    if (record.type === 'message') {
      for (const a of record.attachments ?? []) if (a.open) (await a.open()).destroy();
    }
  }
  return n;
}

const TEXT_FRAGMENTS = [
  '12/03/2024, 14:05 - ', '[12/03/2024, 14:05:33] ', '1/2/23, 9:05\u202fPM - ', 'Alice: ', ': ', '\n', '\r\n', '\u200e', '<attached: a.jpg>',
  '<Media omitted>', '"', '{', '}', '[', ']', '<', '>', '&#55357;', '<sms ', 'date="', '/>', 'From ', 'Subject: =?utf-8?B?', '\u0000', '💥', 'ü',
];

test('property: any text yields records or warnings, never an untyped exception (every file-based importer)', async () => {
  const dir = tempDir();
  let seq = 0;
  const fileBased = IMPORTERS.filter((i) => !/backup|folder/i.test(i.id));
  for (const importer of fileBased) {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.constantFrom(...TEXT_FRAGMENTS), fc.string({ unit: 'grapheme', maxLength: 12 }), fc.integer({ min: 0, max: 99 }).map(String)), { maxLength: 60 }),
        async (parts) => {
          const f = path.join(dir, `case-${seq++}.txt`);
          fs.writeFileSync(f, parts.join(''));
          try {
            await drain(importer.id, f);
          } catch (err) {
            if (!(err instanceof HoldfastError) || !err.code.startsWith('IMPORT_')) {
              throw new Error(`${importer.id} let an untyped error escape on ${JSON.stringify(parts.join(''))}: ${String(err)}`);
            }
          } finally {
            fs.rmSync(f, { force: true });
          }
        },
      ),
      { numRuns: 60, seed: 42 },
    );
  }
});
