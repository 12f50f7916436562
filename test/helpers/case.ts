/**
 * Test helpers: real encrypted case files in a fresh temporary folder, the CLI as a child process, and a
 * case opened in this process through the API the CLI uses.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile, spawnSync } from 'node:child_process';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { Client } from '../../src/api/client.ts';
import { createSession } from '../../src/case/session.ts';
import type { CaseSession } from '../../src/case/session.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const FIXTURES = path.join(ROOT, 'test/fixtures');
export const PASSPHRASE = 'correct horse battery staple';

const madeHere: string[] = [];

/**
 * A new folder in the system's temp folder, removed when this process exits. After a failure (exit
 * code not 0) the folders are kept as evidence and named on stderr.
 */
export function tempDir(prefix = 'holdfast-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  if (madeHere.length === 0) process.once('exit', removeTempDirs);
  madeHere.push(dir);
  return dir;
}

function removeTempDirs(code: number): void {
  if (code !== 0) {
    process.stderr.write(`kept ${madeHere.length} temporary folders of this failed run: ${madeHere.join(' ')}\n`);
    return;
  }
  for (const dir of madeHere) {
    try {
      fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    } catch (err) {
      process.stderr.write(`could not remove ${dir}: ${String(err)}\n`);
    }
  }
}

export function newCase(dir = tempDir(), name = 'case.hfcase'): CaseSession {
  return createSession(path.join(dir, name), PASSPHRASE, { name: 'Test matter', examiner: 'Tester' });
}

/**
 * Opens the case in this process by the CLI's commands' own `withApi` (a one-shot app context that
 * touches no recent list), runs `fn` with its client, and closes it.
 */
export async function withCaseApi<T>(file: string, fn: (api: Client) => Promise<T>): Promise<T> {
  const { withApi } = await import('../../src/cli/io.ts');
  const env = { ...process.env, HOLDFAST_PASSPHRASE: PASSPHRASE, HOLDFAST_CONFIG_DIR: path.join(path.dirname(file), 'unused-config') };
  return withApi({ argv: [], stdout: process.stdout, stderr: process.stderr, env, signal: new AbortController().signal }, file, fn);
}

/** A new case file at `file`, made in this process as `holdfast create` makes it (the command is tested on its own). */
export function makeCaseFile(file: string, meta: { name?: string; examiner?: string; displayTz?: string } = {}): void {
  createSession(file, PASSPHRASE, meta).close();
}

/** A copy of a closed case file (and its WAL, if one is left) in `dir`: cheaper than building it again. */
export function copyCaseFile(from: string, dir = tempDir()): string {
  const to = path.join(dir, path.basename(from));
  fs.copyFileSync(from, to);
  for (const ext of ['-wal', '-shm']) if (fs.existsSync(from + ext)) fs.copyFileSync(from + ext, to + ext);
  return to;
}

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** `cli` as a child process that does not block this one (which may be serving a matter to it). */
export function cliAsync(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(ROOT, 'bin/holdfast.js'), ...args], { env: { ...process.env, HOLDFAST_PASSPHRASE: PASSPHRASE, HOLDFAST_EXAMINER: 'Tester', ...env }, maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) =>
      resolve({ status: err ? Number(err.code ?? -1) : 0, stdout, stderr }),
    );
  });
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

/**
 * The CLI's own code (argument parsing, the API, printing, error line, exit status) run in this process:
 * no process start-up. For tests whose subject is what a command does, not the process around it.
 */
export async function cliInProcess(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const { main } = await import('../../src/cli/main.ts');
  let stdout = '';
  let stderr = '';
  const collect = (append: (text: string) => void) => new Writable({ write(chunk: Buffer | string, _encoding, done) { append(String(chunk)); done(); } });
  const status = await main({
    argv: args,
    stdout: collect((t) => (stdout += t)),
    stderr: collect((t) => (stderr += t)),
    env: { ...process.env, HOLDFAST_PASSPHRASE: PASSPHRASE, HOLDFAST_EXAMINER: 'Tester', ...env },
    signal: new AbortController().signal,
  });
  return { status, stdout, stderr };
}

const failuresSeenInChild = new Set<string>();

/**
 * A command run by the CLI's code in this process (`cliInProcess`), whether it succeeds or fails. The
 * first failure of each kind in this test process (each `holdfast: CODE:` for exit 1; each other exit
 * status) is run again as a child process, which must exit with the same status and print the same
 * stderr: the process contract is checked once per error class, the rest need no process start-up.
 */
export async function cliHere(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const r = await cliInProcess(args, env);
  if (r.status === 0) return r;
  const kind = r.status === 1 ? (/^holdfast: ([A-Z_]+): /.exec(r.stderr)?.[1] ?? r.stderr) : `exit ${r.status}`;
  if (!failuresSeenInChild.has(kind)) {
    failuresSeenInChild.add(kind);
    const child = cli(args, env);
    assert.deepEqual({ status: child.status, stderr: child.stderr }, { status: r.status, stderr: r.stderr }, `holdfast ${args.join(' ')}: the child process fails as the in-process run did`);
  }
  return r;
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
