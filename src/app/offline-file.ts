/**
 * The reviewer's side of an offline check-out: writing what the matter handed over
 * (`batches.checkoutOffline`) as a new encrypted case file, and reading a checked-out file back for
 * `batches.checkinOffline`. Both run where the reviewer is (the CLI, the app), never on the server:
 * the file's passphrase does not leave the machine.
 */
import fs from 'node:fs';
import type { OfflineCheckinDTO, OfflineCheckoutDTO } from '../api/offline-dto.ts';
import { HoldfastError } from '../api/errors.ts';
import { assertStrongPassphrase } from '../case/passphrase-policy.ts';
import { createSession } from '../case/session.ts';
import { fillOfflineCopy } from '../review/batches/offline/copy.ts';
import { offlineChanges } from '../review/batches/offline/changes.ts';
import { openSession } from './open-session.ts';

export interface OfflineFileReport {
  file: string;
  matter: string;
  batchId: number;
  number: number;
  messages: number;
  attachments: number;
}

/** Refuses, before anything is checked out, a file that could not be written: one already there, or a weak passphrase. */
export function checkOfflineTarget(file: string, passphrase: string): void {
  if (fs.existsSync(file)) throw new HoldfastError('VALIDATION', `${file} already exists; choose another path.`, { file });
  assertStrongPassphrase(passphrase);
}

export function writeOfflineFile(file: string, passphrase: string, dto: OfflineCheckoutDTO): OfflineFileReport {
  const m = dto.manifest;
  const session = createSession(
    file, passphrase,
    { name: `${m.matter} (batch ${m.number} of ${m.setName}, offline)`, examiner: m.by, displayTz: dto.displayTz },
    {},
    (data, at) => fillOfflineCopy(data, dto, at),
  );
  session.close();
  return { file, matter: m.matter, batchId: m.batchId, number: m.number, messages: m.messageIds.length, attachments: dto.blobs.length };
}

export function readOfflineFile(file: string, passphrase: string): Omit<OfflineCheckinDTO, 'force' | 'reason'> {
  const session = openSession(file, passphrase, { readonly: true });
  try {
    return offlineChanges(session);
  } finally {
    session.close();
  }
}
