/**
 * Keeps the stored index in step with an import: each batch's new messages are appended to the
 * stored index inside the batch's own transaction, so whoever has the case open reads the new
 * messages' index from the case (nothing to tokenize again) the moment they are committed. A
 * batch committed just before a kill -9 was stored with its index. Messages of a failed or
 * cancelled run are rolled back by ingest and dropped from the index here.
 */
import type { CaseSession } from '../case/session.ts';
import { dataOf } from '../case/data/index.ts';
import { IndexWriter, isUnwritable, readMeta } from './index-store.ts';
import type { TermsDoc } from './index-store.ts';
import { removeFromIndex } from './index-manager.ts';

/** Sort the stored dictionary again when this many terms are not in the stored order. */
const RESORT_TERMS = 20_000;

export class ImportIndexer {
  private readonly session: CaseSession;
  private readonly writer: IndexWriter;
  private readonly added: number[] = [];

  constructor(session: CaseSession) {
    this.session = session;
    this.writer = new IndexWriter(dataOf(session));
  }

  /** ingest's onBatch: a batch's new messages, inside its transaction. */
  batch(docs: TermsDoc[]): void {
    for (const d of docs) this.added.push(d.id);
    this.writer.append(docs);
  }

  /** The import finished: index the rest (and anything another writer left), and keep prefix look-ups fast on the next open. */
  finish(): void {
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
