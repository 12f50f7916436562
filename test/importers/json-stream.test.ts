import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { streamJson } from '../../src/importers/export-tree/json-stream.ts';
import { HoldfastError } from '../../src/api/errors.ts';

const opts = { paths: ['$.messages.*'], file: '/src/export', label: 'a/messages.json' };

test('values are handed out while the file is still being read (bounded memory)', async () => {
  let produced = 0;
  const total = 50_000;
  const source = Readable.from((function* () {
    yield Buffer.from('\uFEFF{"guild": {"id": "1"}, "messages": [');
    for (let i = 0; i < total; i++) {
      produced++;
      yield Buffer.from(`${i ? ',' : ''}{"id": "${i}", "content": "${'x'.repeat(200)}"}`);
    }
    yield Buffer.from(']}');
  })());
  let seen = 0;
  let producedAtFirst = -1;
  for await (const hit of streamJson(source, opts)) {
    if (seen === 0) producedAtFirst = produced;
    assert.deepEqual(hit.path, ['messages', seen]);
    assert.equal((hit.value as { id: string }).id, String(seen));
    seen++;
  }
  assert.equal(seen, total);
  assert.ok(producedAtFirst < 100, `the first message came after ${producedAtFirst} of ${total} were produced`);
});

test('truncated, invalid and empty JSON are IMPORT_SOURCE_CORRUPT naming the file and byte', async () => {
  const run = async (text: string) => {
    try {
      for await (const hit of streamJson(Readable.from([Buffer.from(text)]), opts)) void hit;
    } catch (err) {
      return err as HoldfastError;
    }
    return undefined;
  };
  const truncated = await run('{"messages": [{"id": "1"}, {"id"');
  assert.equal(truncated?.code, 'IMPORT_SOURCE_CORRUPT');
  assert.match(truncated!.message, /a\/messages\.json is not valid JSON at end of file: the file ends in the middle/);
  const invalid = await run('{"messages": [}');
  assert.equal(invalid?.code, 'IMPORT_SOURCE_CORRUPT');
  assert.equal(invalid?.details?.position, 'a/messages.json bytes 0–15', 'the parser names no byte for a misplaced token: the chunk it was in');
  assert.equal((await run('{"messages": [1, @]}'))?.details?.position, 'a/messages.json byte 17');
  assert.equal((await run(''))?.code, undefined, 'an empty stream yields no chunk');
});
