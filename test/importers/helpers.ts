/** Shared steps of the importer tests: a real case file driven through the real CLI. */
import assert from 'node:assert/strict';
import path from 'node:path';
import { cli, cliJson, cliJsonl, tempDir } from '../helpers/case.ts';
import type { ImportResultDTO, MessageDTO } from '../../src/api/dto.ts';

export function createCase(dir = tempDir()): string {
  const file = path.join(dir, 'case.hfcase');
  cliJson(['create', file, '--name', 'Importer test', '--json']);
  return file;
}

export function importSource(casePath: string, source: string, extra: string[] = []): ImportResultDTO {
  return cliJson<ImportResultDTO>(['import', casePath, source, '--json', ...extra]);
}

export function messages(casePath: string): MessageDTO[] {
  return cliJsonl<MessageDTO>(['messages', casePath, '--jsonl', '--include-personal']);
}

/** What a reviewer sees of the case: counts and every message. */
export function snapshot(casePath: string): { info: unknown; messages: MessageDTO[] } {
  const info = cliJson<Record<string, unknown>>(['info', casePath, '--json']);
  // `events` counts audit entries, and a refused import is audited.
  delete info.events;
  return { info, messages: messages(casePath) };
}

/** Runs an import that must fail with `code`; the case must look exactly as before. */
export function expectImportFailure(
  casePath: string, source: string, code: string, extra: string[] = [], before = snapshot(casePath),
): string {
  const r = cli(['import', casePath, source, ...extra]);
  assert.equal(r.status, 1, `expected failure, got ${r.status}: ${r.stdout}${r.stderr}`);
  assert.match(r.stderr, new RegExp(`^holdfast: ${code}: `), r.stderr);
  const after = snapshot(casePath);
  assert.deepEqual(after, before);
  return r.stderr;
}

export function bySourceLocator(list: MessageDTO[], locator: string): MessageDTO {
  const found = list.find((m) => m.source.locator === locator);
  assert.ok(found, `no message at ${locator}; have ${list.map((m) => m.source.locator).join(', ')}`);
  return found;
}
