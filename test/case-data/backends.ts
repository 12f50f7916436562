/**
 * The data-interface conformance suite's back ends: each test body runs once on a fresh encrypted
 * SQLCipher case and once on a fresh matter schema of a throwaway PostgreSQL cluster (one cluster
 * per test file, stopped after it).
 */
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe } from 'node:test';
import { dataOf } from '../../src/case/data/index.ts';
import type { CaseData, RunIds } from '../../src/case/data/interface.ts';
import { openPostgresData } from '../../src/case/data/postgres/index.ts';
import { sessionOnData } from '../../src/case/session.ts';
import type { CaseSession } from '../../src/case/session.ts';
import { newCase } from '../helpers/case.ts';
import { startPostgres } from '../helpers/postgres.ts';
import type { Postgres } from '../helpers/postgres.ts';

export type BackendName = 'sqlcipher' | 'postgres';

export interface OpenCase {
  data: CaseData;
  close(): void;
}

export interface Backend {
  name: BackendName;
  /** A new, empty case (or matter) at the newest schema. */
  fresh(): OpenCase;
  /** The same as an open case for the domain code, and what closing it leaves behind removed. */
  session(): { session: CaseSession; close(): void };
}

let matters = 0;

/** Runs `suite` once per back end, in a describe named after it. */
export function onEachBackend(suite: (backend: () => Backend) => void): void {
  describe('sqlcipher', () => {
    suite(() => ({
      name: 'sqlcipher',
      fresh: () => {
        const session = newCase();
        return {
          data: dataOf(session),
          close: () => {
            session.close();
            fs.rmSync(path.dirname(session.path), { recursive: true, force: true });
          },
        };
      },
      session: () => {
        const session = newCase();
        return {
          session,
          close: () => {
            session.close();
            fs.rmSync(path.dirname(session.path), { recursive: true, force: true });
          },
        };
      },
    }));
  });
  describe('postgres', () => {
    let pg: Postgres | undefined;
    let url = '';
    before(async () => {
      pg = await startPostgres();
      url = pg.createDatabase('holdfast');
    });
    after(() => pg?.stop());
    suite(() => ({
      name: 'postgres',
      fresh: () => {
        const data = openPostgresData(url, { matter: `t${++matters}` });
        return { data, close: data.close };
      },
      session: () => {
        const data = openPostgresData(url, { matter: `t${++matters}` });
        const session = sessionOnData(data, `matter t${matters}`, data.schemaVersion);
        return { session, close: () => session.close() };
      },
    }));
  });
}

export interface SeedMessage {
  conversation: string;
  text: string;
  sentAt: number;
  /** The dedupe key: a message with the same fingerprint as one in the case is that message, met again. */
  fingerprint: string;
  attachment?: { name: string; sha256: string | null };
}

/** One import run through the ingest writer, deduplicating by fingerprint; its ids and the message ids it met, in order. */
export function importRun(data: CaseData, sourceSha: string, custodian: string, messages: readonly SeedMessage[], at = 1_700_000_000_000): RunIds & { messageIds: number[] } {
  const ids = data.write.importRuns.start({
    path: `/exports/${sourceSha}.zip`, name: `${sourceSha}.zip`, size: 1234, sha256: sourceSha, importer: 'whatsapp', importerVersion: '1',
    custodian, tz: 'UTC', tzReason: null, dateOrder: null, options: '{}', at, pid: process.pid,
  });
  const w = data.write.importRuns.ingest(ids);
  const messageIds = data.write.transaction.run(() => {
    const added = messages.map((m, i) => {
      const conversation = w.conversation('whatsapp', m.conversation)?.id ?? w.addConversation({ platform: 'whatsapp', externalId: m.conversation, kind: 'group', name: m.conversation });
      const sender = w.handleId('phone', '+15550001') ?? w.addHandle({ kind: 'phone', value: '+15550001', display: 'Alice', participantName: 'Alice', at });
      const key = parseInt(m.fingerprint.slice(0, 13), 16);
      const known = w.messagesByFingerprintKey(key).find(([, fp]) => fp === m.fingerprint)?.[0];
      const id =
        known ??
        w.addMessage({
          conversationId: conversation, senderHandleId: sender, sentAt: m.sentAt, rawTime: String(m.sentAt), kind: 'message', systemType: null, text: m.text,
          subject: null, edited: 0, deleted: 0, direction: 'in', forwardedFrom: null, externalId: null, fingerprint: m.fingerprint, contentSha256: m.fingerprint,
          fingerprintKey: key, locator: `line ${i + 1}`, timeUnknown: 0, timeSource: null,
        });
      w.addOccurrence(id, `line ${i + 1}`);
      if (m.attachment && known === undefined) w.addAttachment({ messageId: id, seq: 0, name: m.attachment.name, mime: 'image/jpeg', size: 3, sha256: m.attachment.sha256, missingReason: null, locator: null });
      return id;
    });
    w.addSourceFile('chat.txt', 100, sourceSha);
    // A PostgreSQL writer holds rows until it flushes; inside the transaction, as the import does it.
    w.flush();
    return added;
  });
  data.write.importRuns.finish(ids.runId, 'complete', at + 1, '{}');
  return { ...ids, messageIds };
}

/** A fingerprint (hex) for test message `n`: all share one fingerprint key, so dedupe compares the whole fingerprint. */
export function fp(n: number): string {
  return n.toString(16).padStart(32, '0');
}

/** A test body on a fresh case of the back end, seeded by `seed`; the case is closed after it. */
export function withSeed<S>(backend: () => Backend, seed: (data: CaseData) => S, body: (data: CaseData, s: S) => void): () => void {
  return () => {
    const c = backend().fresh();
    try {
      body(c.data, seed(c.data));
    } finally {
      c.close();
    }
  };
}
