/** Shared steps of the review tests: a case made in process, filled through the CLI, read back in process. */
import path from 'node:path';
import assert from 'node:assert/strict';
import { cli, cliHere, cliJson, cliJsonl, PASSPHRASE } from '../helpers/case.ts';
import { openSession } from '../../src/app/open-session.ts';
import { createSession } from '../../src/case/session.ts';
import type { CaseSession } from '../../src/case/session.ts';
import type { AuditEntryDTO, ImportResultDTO, MessageDTO } from '../../src/api/dto.ts';
import { listAudit } from '../../src/case/audit.ts';
import { iterateMessages } from '../../src/case/messages.ts';
import { HoldfastError } from '../../src/api/errors.ts';
import { dataOf } from '../../src/case/data/index.ts';

/** A new case, made in this process as `holdfast create` makes it (the CLI's create is tested on its own). */
export function createCaseFile(dir: string): string {
  const file = path.join(dir, 'review.hfcase');
  createSession(file, PASSPHRASE, { name: 'Review matter', examiner: 'Tester' }).close();
  return file;
}

/** `holdfast import … --json` by the CLI's own code in this process. */
export async function importFile(caseFile: string, source: string, custodian: string): Promise<ImportResultDTO> {
  const r = await cliHere(['import', caseFile, source, '--custodian', custodian, '--tz', 'UTC', '--json']);
  if (r.status !== 0) throw new Error(`holdfast import ${source} exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as ImportResultDTO;
}

export function allMessages(caseFile: string): MessageDTO[] {
  return cliJsonl<MessageDTO>(['messages', caseFile, '--jsonl', '--include-personal']);
}

export function audit(caseFile: string): AuditEntryDTO[] {
  return cliJson<AuditEntryDTO[]>(['audit', caseFile, '--json']);
}

export interface Entry {
  seq: number;
  actor: string;
  action: string;
  details: Record<string, unknown>;
}

/** The audit log read in process, from entry `afterSeq` on, optionally one action only. */
export function auditOf(s: CaseSession, action?: string, afterSeq = 0): Entry[] {
  return listAudit(dataOf(s), { afterSeq, ...(action ? { action } : {}) }) as Entry[];
}

export function lastSeq(s: CaseSession): number {
  return s.db.prepare('SELECT coalesce(max(seq), 0) FROM audit_log').pluck().get() as number;
}

/** The HoldfastError code `fn` throws (sync or async). */
export async function codeOf(fn: () => unknown): Promise<string> {
  try {
    await fn();
  } catch (err) {
    return err instanceof HoldfastError ? err.code : `not a HoldfastError: ${String(err)}`;
  }
  return 'no error';
}

export async function withCase<T>(caseFile: string, fn: (s: CaseSession) => T | Promise<T>): Promise<T> {
  const s = openSession(caseFile, PASSPHRASE, { actor: 'Tester' });
  try {
    return await fn(s);
  } finally {
    s.close();
  }
}

/** The CLI fails with exit 1 and `holdfast: CODE: ...` on stderr. */
export function cliFails(args: string[], code: string): string {
  const r = cli(args);
  assert.equal(r.status, 1, `expected exit 1 from holdfast ${args.join(' ')}; stdout ${r.stdout} stderr ${r.stderr}`);
  assert.match(r.stderr, new RegExp(`^holdfast: ${code}: `), r.stderr);
  return r.stderr;
}

/** Every row of every table the review actions touch, for "nothing changed" checks. */
export function snapshot(s: CaseSession): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const t of ['messages', 'attachments', 'blobs', 'blob_chunks', 'conversations', 'message_tags', 'hold_items', 'holds', 'notes', 'message_occurrences', 'reactions']) {
    out[t] = s.db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).all();
  }
  return out;
}

export function messagesOf(s: CaseSession): MessageDTO[] {
  return [...iterateMessages(s, { includePersonal: true })];
}
