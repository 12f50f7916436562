/** A PDF layout worker (see render.ts): lays units out batch by batch, then stamps and writes each when told its Bates numbers. */
import { parentPort, workerData } from 'node:worker_threads';
import { UnitLayout, writeUnit } from './render.ts';
import type { DocSettings, UnitBatch } from './render.ts';
import type { TranscriptHeader } from './transcript.ts';

const port = parentPort;
if (!port) throw new Error('render-worker.ts must run in a worker thread');
const settings = workerData as DocSettings;
const units = new Map<number, UnitLayout>();
/** Units whose layout failed, with the reason (reported when the unit ends). */
const failed = new Map<number, string>();

type Request =
  | { type: 'begin'; task: number; header: TranscriptHeader }
  | { type: 'add'; task: number; batch: UnitBatch }
  | { type: 'end'; task: number }
  | { type: 'write'; task: number; bates: string[]; attachments: string[]; file: string };

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

port.on('message', (m: Request) => {
  if (m.type === 'begin' || m.type === 'add') {
    if (failed.has(m.task)) return;
    try {
      if (m.type === 'begin') units.set(m.task, new UnitLayout(settings, m.header));
      else units.get(m.task)!.add(m.batch);
    } catch (err) {
      units.delete(m.task);
      failed.set(m.task, messageOf(err));
    }
    return;
  }
  if (m.type === 'end') {
    const unit = units.get(m.task);
    if (unit) port.postMessage({ type: 'laid', task: m.task, ...unit.laid });
    else port.postMessage({ type: 'error', task: m.task, message: failed.get(m.task) ?? `unit ${m.task} was not begun` });
    failed.delete(m.task);
    return;
  }
  const unit = units.get(m.task);
  units.delete(m.task);
  if (!unit) {
    port.postMessage({ type: 'error', task: m.task, message: `unit ${m.task} was not laid out` });
    return;
  }
  writeUnit(unit.pdf, m.bates, m.attachments, m.file).then(
    (w) => port.postMessage({ type: 'written', task: m.task, ...w }),
    (err: unknown) => port.postMessage({ type: 'error', task: m.task, message: messageOf(err) }),
  );
});
