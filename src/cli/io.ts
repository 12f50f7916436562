/** Shared plumbing for CLI commands: passphrase, output, option parsing. */
import fs from 'node:fs';
import { HoldfastError, toErrorDTO } from '../api/errors.ts';
import { ApiError, createClient } from '../api/client.ts';
import type { Client } from '../api/client.ts';
import type { JobDTO } from '../api/dto.ts';
import { AppContext } from '../app/app-context.ts';
import { inProcessTransport } from '../app/in-process.ts';
import { defaultConfigDir } from '../app/recent.ts';
import type { JobProgress } from '../app/jobs/types.ts';
import { connectMatter, isMatterUrl, parseMatterUrl } from '../server/matter/client.ts';

export interface CliContext {
  argv: string[];
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
}

export class UsageError extends Error {}

const remembered = new WeakMap<CliContext, Map<string, string>>();

/**
 * The passphrase from HOLDFAST_PASSPHRASE, or asked for on the terminal without echo. Never from argv.
 * Read once per run: the variable is then removed from the environment, so nothing started later
 * (or a crash report of the environment) inherits it.
 */
export async function passphrase(ctx: CliContext, variable = 'HOLDFAST_PASSPHRASE', prompt = 'Case passphrase: '): Promise<string> {
  const known = remembered.get(ctx)?.get(variable);
  if (known !== undefined) return known;
  const fromEnv = ctx.env[variable];
  let value: string;
  if (fromEnv !== undefined && fromEnv !== '') {
    value = fromEnv;
    delete ctx.env[variable];
  } else {
    if (!process.stdin.isTTY) throw new UsageError(`set ${variable} (the passphrase is never taken from the command line)`);
    value = await readHidden(prompt);
  }
  remembered.set(ctx, (remembered.get(ctx) ?? new Map<string, string>()).set(variable, value));
  return value;
}

function readHidden(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(prompt);
    stdin.setRawMode(true);
    stdin.resume();
    let value = '';
    const onData = (buf: Buffer) => {
      for (const ch of buf.toString('utf8')) {
        if (ch === '\r' || ch === '\n') {
          done();
          resolve(value);
          return;
        }
        if (ch === '\u0003') {
          done();
          reject(new HoldfastError('CANCELLED', 'Cancelled.'));
          return;
        }
        if (ch === '\u007f') value = value.slice(0, -1);
        else value += ch;
      }
    };
    const done = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
    };
    stdin.on('data', onData);
  });
}

/**
 * Opens the case through the API the app uses (the same validation, limits and errors), runs `fn`
 * with its client, and closes the case. A matter address (holdfasts://HOST:PORT/MATTER) signs in to
 * the matter server instead and runs `fn` with a client over the same contract.
 */
export async function withApi<T>(ctx: CliContext, file: string, fn: (api: Client) => Promise<T>): Promise<T> {
  if (isMatterUrl(file)) return withMatter(ctx, file, fn);
  const app = new AppContext({ host: { kind: 'in-process' }, configDir: defaultConfigDir(ctx.env), oneShot: true, examiner: ctx.env.HOLDFAST_EXAMINER });
  const api = createClient(inProcessTransport(app));
  try {
    await api.call('cases.open', { path: file, passphrase: await passphrase(ctx) });
    return await fn(api);
  } finally {
    await app.shutdown();
  }
}

/** The account from HOLDFAST_USER and HOLDFAST_PASSWORD (or a prompt); a self-signed server's certificate from HOLDFAST_CA_FILE. */
async function withMatter<T>(ctx: CliContext, url: string, fn: (api: Client) => Promise<T>): Promise<T> {
  const address = parseMatterUrl(url);
  const user = ctx.env.HOLDFAST_USER;
  if (!user) throw new UsageError('set HOLDFAST_USER to the account to sign in to the matter server with');
  const caFile = ctx.env.HOLDFAST_CA_FILE;
  const connection = await connectMatter(address, {
    user,
    password: await passphrase(ctx, 'HOLDFAST_PASSWORD', `Password for ${user}: `),
    ...(caFile ? { ca: fs.readFileSync(caFile) } : {}),
  });
  try {
    return await fn(createClient(connection.transport));
  } finally {
    await connection.close();
  }
}

/** Waits for a job started through the API: progress on a terminal, Ctrl-C cancels it; its result, or its error. */
export async function awaitJob<T>(ctx: CliContext, api: Client, jobId: string, describe: (p: JobProgress) => string): Promise<T> {
  const show = progressPrinter(ctx);
  const stopProgress = api.on('job.progress', (e) => {
    if (e.jobId === jobId) show(describe(e.progress));
  });
  let stopFinished = () => {};
  const finished = new Promise<JobDTO>((resolve) => {
    stopFinished = api.on('job.finished', (job) => {
      if (job.id === jobId) resolve(job);
    });
  });
  const onAbort = () => void api.call('jobs.cancel', { jobId });
  ctx.signal.addEventListener('abort', onAbort);
  try {
    // A job that ended before the listener was added is read back.
    const now = await api.call('jobs.get', { jobId });
    const job = now.state === 'running' ? await finished : now;
    show('');
    if (job.error) throw new ApiError(toErrorDTO(job.error));
    return job.result as T;
  } finally {
    ctx.signal.removeEventListener('abort', onAbort);
    stopProgress();
    stopFinished();
  }
}

export function printJson(ctx: CliContext, value: unknown): void {
  ctx.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printJsonl(ctx: CliContext, value: unknown): void {
  ctx.stdout.write(`${JSON.stringify(value)}\n`);
}

/** A progress line on stderr, only when stderr is a terminal. */
export function progressPrinter(ctx: CliContext): (text: string) => void {
  if (!ctx.stderr.isTTY) return () => {};
  return (text) => ctx.stderr.write(`\r\u001b[K${text}`);
}

export function positional(values: string[], index: number, name: string): string {
  const v = values[index];
  if (v === undefined) throw new UsageError(`missing ${name}`);
  return v;
}

export function intOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value)) throw new UsageError(`--${name} takes a whole number, not "${value}"`);
  return Number(value);
}

/** "phase 42% 1200 messages" — the progress line of jobs that count messages. */
export function percentLine(p: JobProgress): string {
  return `${p.phase} ${p.total ? Math.round((100 * p.done) / p.total) : 0}% ${p.items} messages`;
}
