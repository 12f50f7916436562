/**
 * Shared steps of the importer tests: a real case file; imports by the CLI's own code in this process,
 * refused imports too, the first of each error class again as a child process (exit status and error
 * line: `cliHere`); the case read back in this process through the same API calls and DTOs as
 * `holdfast info` and `holdfast messages` (one case open instead of a child process per command).
 */
import assert from 'node:assert/strict';
import { cliHere, cliInProcess, newCase, tempDir, withCaseApi } from '../helpers/case.ts';
import type { Client } from '../../src/api/client.ts';
import { listedMessages } from '../../src/cli/commands/messages.ts';
import type { CaseInfoDTO, ImportResultDTO, MessageDTO } from '../../src/api/dto.ts';

export function createCase(dir = tempDir()): string {
  const session = newCase(dir);
  session.close();
  return session.path;
}

/** `holdfast import CASE SOURCE --json` run by the CLI's code in this process; what it prints. */
export async function importSource(casePath: string, source: string, extra: string[] = [], env: Record<string, string> = {}): Promise<ImportResultDTO> {
  const r = await cliInProcess(['import', casePath, source, '--json', ...extra], env);
  if (r.status !== 0) throw new Error(`holdfast import ${casePath} ${source} exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as ImportResultDTO;
}

/**
 * Every message, personal ones included, in conversation then time order: what `holdfast messages
 * --include-personal` prints (without personal ones: what `holdfast messages` prints).
 */
export async function messages(casePath: string, { includePersonal = true } = {}): Promise<MessageDTO[]> {
  return asPrinted(await withCaseApi(casePath, (api) => readMessages(api, includePersonal)));
}

/** Through JSON as the CLI prints it, so tests compare what a script would see. */
function asPrinted<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

async function readMessages(api: Client, includePersonal = true): Promise<MessageDTO[]> {
  const all: MessageDTO[] = [];
  for await (const m of listedMessages(api, { includePersonal })) all.push(m);
  return all;
}

export interface Snapshot {
  info: Omit<CaseInfoDTO, 'events'>;
  messages: MessageDTO[];
}

/** What a reviewer sees of the case: counts and every message, read in one open. */
export function snapshot(casePath: string): Promise<Snapshot> {
  return withCaseApi(casePath, async (api) => {
    // `events` counts audit entries, and a refused import is audited.
    const { events: _events, ...info } = await api.call('cases.info', {});
    return asPrinted({ info, messages: await readMessages(api) });
  });
}

/** Runs an import through the CLI that must fail with `code` (`cliHere`); the case must look exactly as before. */
export async function expectImportFailure(
  casePath: string, source: string, code: string, extra: string[] = [], before?: Snapshot,
): Promise<string> {
  const expected = before ?? await snapshot(casePath);
  const r = await cliHere(['import', casePath, source, ...extra]);
  assert.equal(r.status, 1, `expected failure, got ${r.status}: ${r.stdout}${r.stderr}`);
  assert.match(r.stderr, new RegExp(`^holdfast: ${code}: `), r.stderr);
  assert.deepEqual(await snapshot(casePath), expected);
  return r.stderr;
}

export function bySourceLocator(list: MessageDTO[], locator: string): MessageDTO {
  const found = list.find((m) => m.source.locator === locator);
  assert.ok(found, `no message at ${locator}; have ${list.map((m) => m.source.locator).join(', ')}`);
  return found;
}
