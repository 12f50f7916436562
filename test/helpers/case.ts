/** Test helpers: real encrypted case files in a fresh temporary folder, and the CLI as a child process. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createSession } from '../../src/case/session.ts';
import type { CaseSession } from '../../src/case/session.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const FIXTURES = path.join(ROOT, 'test/fixtures');
export const PASSPHRASE = 'correct horse battery staple';

export function tempDir(prefix = 'holdfast-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function newCase(dir = tempDir(), name = 'case.hfcase'): CaseSession {
  return createSession(path.join(dir, name), PASSPHRASE, { name: 'Test matter', examiner: 'Tester' });
}

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

export function cli(args: string[], env: Record<string, string> = {}, input?: string): CliResult {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/holdfast.js'), ...args], {
    env: { ...process.env, HOLDFAST_PASSPHRASE: PASSPHRASE, HOLDFAST_EXAMINER: 'Tester', ...env },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    ...(input !== undefined ? { input } : {}),
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function cliJson<T = unknown>(args: string[], env: Record<string, string> = {}): T {
  const r = cli(args, env);
  if (r.status !== 0) throw new Error(`holdfast ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

export function cliJsonl<T = unknown>(args: string[], env: Record<string, string> = {}): T[] {
  const r = cli(args, env);
  if (r.status !== 0) throw new Error(`holdfast ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as T);
}

/** Every file in `dir` (recursively) that contains `marker` as bytes (UTF-8 and UTF-16LE). */
export function filesContaining(dir: string, marker: string): string[] {
  const needles = [Buffer.from(marker, 'utf8'), Buffer.from(marker, 'utf16le')];
  const hits: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && needles.some((n) => fs.readFileSync(p).includes(n))) hits.push(p);
    }
  };
  walk(dir);
  return hits;
}
