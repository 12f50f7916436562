/** A PDF layout worker (see render.ts): lays units out on request, then stamps and writes each when told its Bates numbers. */
import { parentPort, workerData } from 'node:worker_threads';
import { layoutUnit, writeUnit } from './render.ts';
import type { DocSettings, UnitJob } from './render.ts';
import type { TranscriptPdf } from './transcript.ts';

const port = parentPort;
if (!port) throw new Error('render-worker.ts must run in a worker thread');
const settings = workerData as DocSettings;
const laid = new Map<number, TranscriptPdf>();

type Request = { type: 'lay'; task: number; job: UnitJob } | { type: 'write'; task: number; bates: string[]; file: string };

port.on('message', (m: Request) => {
  if (m.type === 'lay') {
    try {
      const { pdf, placements } = layoutUnit(settings, m.job);
      laid.set(m.task, pdf);
      port.postMessage({ type: 'laid', task: m.task, pages: pdf.pageCount, placements });
    } catch (err) {
      port.postMessage({ type: 'error', task: m.task, message: err instanceof Error ? err.message : String(err) });
    }
    return;
  }
  const pdf = laid.get(m.task);
  laid.delete(m.task);
  if (!pdf) {
    port.postMessage({ type: 'error', task: m.task, message: `unit ${m.task} was not laid out` });
    return;
  }
  writeUnit(pdf, m.bates, m.file).then(
    (w) => port.postMessage({ type: 'written', task: m.task, ...w }),
    (err: unknown) => port.postMessage({ type: 'error', task: m.task, message: err instanceof Error ? err.message : String(err) }),
  );
});
