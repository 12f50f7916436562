/**
 * Keeps the stored index in step with an import: after committed batches (at most every few
 * thousand messages or seconds) the new messages are appended to the stored index; at the end,
 * everything. A batch committed just before a kill -9 is indexed on the next open (the watermark
 * tells what is missing). Messages of a failed or cancelled run are rolled back by ingest and
 * dropped from the index here.
 */
import type { CaseSession } from '../case/session.ts';
import { dataOf } from '../case/data/index.ts';
import { IndexWriter, isUnwritable, readMeta } from './index-store.ts';
import type { TermsDoc } from './index-store.ts';
import { removeFromIndex } from './index-manager.ts';

const EVERY_MESSAGES = 5_000;
const EVERY_MS = 2_000;
/** Sort the stored dictionary again when this many terms are not in the stored order. */
const RESORT_TERMS = 20_000;

export class ImportIndexer {
  private readonly session: CaseSession;
  private readonly writer: IndexWriter;
  private readonly added: number[] = [];
  private pending: TermsDoc[] = [];
  private lastWrite = Date.now();

  constructor(session: CaseSession) {
    this.session = session;
    this.writer = new IndexWriter(dataOf(session));
  }

  /** ingest's onMessagesCommitted: called after each committed batch with the messages it added. */
  committed(docs: TermsDoc[]): void {
    for (const d of docs) {
      this.added.push(d.id);
      this.pending.push(d);
    }
    if (this.pending.length >= EVERY_MESSAGES || Date.now() - this.lastWrite >= EVERY_MS) this.flush();
  }

  private flush(): void {
    try {
      this.writer.append(this.pending);
    } catch (err) {
      // A busy or read-only case is indexed on its next open instead.
      if (!isUnwritable(err)) throw err;
    }
    this.pending = [];
    this.lastWrite = Date.now();
  }

  /** The import finished: index the rest (and anything another writer left), and keep prefix look-ups fast on the next open. */
  finish(): void {
    this.flush();
    try {
      this.writer.catchUp();
    } catch (err) {
      if (!isUnwritable(err)) throw err;
    }
    const meta = readMeta(dataOf(this.session));
    if (meta && meta.terms - meta.sortedUpTo > RESORT_TERMS) {
      try {
        this.writer.writeSorted();
      } catch (err) {
        if (!isUnwritable(err)) throw err;
      }
    }
  }

  /** The import failed and ingest rolled its messages back: drop them from the index too. */
  failed(): void {
    removeFromIndex(this.session, this.added);
  }
}
