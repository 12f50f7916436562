/**
 * Folders of productions killed outright (`.OUT.holdfast-partial-PID-…`, plaintext output half
 * written). Each production records its temporary folder in the case while it runs; the next
 * production of any name, or the next writable open of the case, removes the folders of processes
 * that are gone — wherever they were written, not only beside the next production's folder.
 */
import fs from 'node:fs';
import path from 'node:path';
import { alive } from '../case/lock.ts';
import type { CaseData } from '../case/data/interface.ts';

const MARK = '.holdfast-partial-';

export function rememberPartial(data: CaseData, tempDir: string): void {
  data.write.productions.rememberPartial(tempDir, process.pid);
}

export function forgetPartial(data: CaseData, tempDir: string): void {
  data.write.productions.forgetPartial(tempDir);
}

/** Removes the recorded folders whose process is gone; returns them. */
export function cleanAbandonedProductions(data: CaseData): string[] {
  const removed: string[] = [];
  const { read, write } = data;
  for (const { dir, pid: recorded } of read.productions.partials()) {
    const pid = Number(recorded);
    if (pid === process.pid || (Number.isInteger(pid) && alive(pid))) continue;
    // Only ever a folder this scheme named: a hand-edited key must not delete anything else.
    if (path.basename(dir).includes(MARK)) fs.rmSync(dir, { recursive: true, force: true });
    write.productions.forgetPartial(dir);
    removed.push(dir);
  }
  return removed;
}
