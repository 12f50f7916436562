/**
 * Opening and creating a case file with the case's own rules: a case from before signing keys gets
 * its key on its first writable open, and a new case records its creation in the audit log.
 */
import os from 'node:os';
import { MIGRATIONS } from './migrations/index.ts';
import { APP_VERSION } from '../version.ts';
import { appendAudit } from './audit.ts';
import { ensureSigningKey } from './signing-key.ts';
import { createConnection, openConnection } from './data/sqlcipher/connection.ts';
import type { CreateOptions, OpenedCase, OpenOptions } from './data/sqlcipher/connection.ts';
import { dataOfConnection } from './data/index.ts';
import type { CaseData } from './data/interface.ts';

export function openCase(file: string, passphrase: string, opts: OpenOptions = {}): OpenedCase {
  const opened = openConnection(file, passphrase, opts);
  if (opts.readonly) return opened;
  try {
    ensureSigningKey(dataOfConnection(opened.db), 'holdfast');
  } catch (err) {
    opened.db.close();
    throw err;
  }
  return opened;
}

/** `fill` writes the new case's first rows (an offline check-out's) in its creating transaction, after the `case.create` entry. */
export function createCase(file: string, passphrase: string, meta: CreateOptions = {}, opts: OpenOptions = {}, fill?: (data: CaseData, at: number) => void): OpenedCase {
  const examiner = meta.examiner ?? os.userInfo().username;
  const schemaVersion = (opts.migrations ?? MIGRATIONS).length;
  return createConnection(file, passphrase, meta, opts, {
    initialise: (db, at) => {
      appendAudit(dataOfConnection(db), examiner, 'case.create', { matter: meta.name ?? null, schemaVersion, appVersion: APP_VERSION }, at);
      fill?.(dataOfConnection(db), at);
    },
    created: (db) => ensureSigningKey(dataOfConnection(db), examiner),
  });
}
