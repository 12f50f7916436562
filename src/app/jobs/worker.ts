/** Worker-thread entry: opens its own connection (to a case file or a matter), runs one job, reports progress, obeys cancel. */
import { parentPort, workerData } from 'node:worker_threads';
import { toErrorDTO } from '../../api/errors.ts';
import { mapSqliteError } from '../../case/data/index.ts';
import { openSession } from '../open-session.ts';
import { openMatterSession } from '../open-matter.ts';
import { JOB_HANDLERS } from './handlers.ts';
import type { JobRequest, WorkerMessage } from './types.ts';

const port = parentPort;
if (!port) throw new Error('jobs/worker.ts must run in a worker thread');
const { request, passphrase } = workerData as { request: JobRequest; passphrase: string };
const controller = new AbortController();
port.on('message', (m: unknown) => {
  if (m === 'cancel') controller.abort();
});
const post = (m: WorkerMessage) => port.postMessage(m);

try {
  const handler = JOB_HANDLERS[request.kind];
  if (!handler) throw new Error(`unknown job kind ${request.kind}`);
  const where = request.case;
  const session = 'matter' in where
    ? openMatterSession(where.databaseUrl, where.matter, { actor: request.actor })
    : openSession(where.file, passphrase, { actor: request.actor });
  try {
    const result = await handler(session, request.params as never, controller.signal, (progress) => post({ type: 'progress', progress }));
    post({ type: 'done', result });
  } finally {
    session.close();
  }
} catch (err) {
  // Whichever step met it (the import, the enrichment after it, closing), a full disk is DISK_FULL naming the case.
  post({ type: 'error', error: toErrorDTO('file' in request.case ? mapSqliteError(err, request.case.file) : err) });
}
