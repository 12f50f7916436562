/**
 * A throwaway PostgreSQL cluster for tests: `initdb` into a temporary folder, started on a free port
 * with its socket in that folder, stopped and deleted by `stop()`. Debian's `postgresql` package
 * provides the binaries (`.ci/run` installs it). As root, the cluster runs as the `postgres` user,
 * since PostgreSQL refuses to run as root.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';

export interface Postgres {
  /** postgres://postgres@127.0.0.1:PORT/postgres */
  url: string;
  port: number;
  /** A new, empty database on the cluster; returns its URL. */
  createDatabase(name: string): string;
  /**
   * CPU seconds the cluster's processes have used so far (the postmaster, its live children, and the
   * children it has reaped: connections that closed). Linux only; benchmarks count the server's side with it.
   */
  cpuSeconds(): number;
  stop(): void;
}

function binDir(): string {
  const fromConfig = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  const candidates = [fromConfig.status === 0 ? fromConfig.stdout.trim() : ''];
  const lib = '/usr/lib/postgresql';
  if (fs.existsSync(lib)) {
    for (const v of fs.readdirSync(lib).sort((a, b) => Number(b) - Number(a))) candidates.push(path.join(lib, v, 'bin'));
  }
  const found = candidates.find((d) => d && fs.existsSync(path.join(d, 'initdb')) && fs.existsSync(path.join(d, 'pg_ctl')));
  if (!found) throw new Error('PostgreSQL server binaries (initdb, pg_ctl) not found: install Debian\'s postgresql package.');
  return found;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** utime, stime, cutime, cstime of a process, in seconds (fields 14–17 of /proc/PID/stat). */
function processCpu(pid: number): { own: number; reaped: number; ppid: number } | undefined {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
  const tick = 100;
  return { ppid: f[1]!, own: (f[11]! + f[12]!) / tick, reaped: (f[13]! + f[14]!) / tick };
}

function clusterCpuSeconds(postmaster: number): number {
  const main = processCpu(postmaster);
  if (!main) return 0;
  let total = main.own + main.reaped;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const child = processCpu(Number(entry));
    if (child?.ppid === postmaster) total += child.own;
  }
  return total;
}

/** `durable`: fsync and full-page writes left on, as on a real server (the benchmarks); tests turn them off. */
export async function startPostgres(opts: { durable?: boolean } = {}): Promise<Postgres> {
  const bin = binDir();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'holdfast-pg-'));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    fs.chmodSync(dir, 0o700);
    execFileSync('chown', ['postgres', dir]);
  }
  const run = (cmd: string, args: string[]) =>
    asRoot
      ? execFileSync('su', ['postgres', '-s', '/bin/sh', '-c', [cmd, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ')], { stdio: 'pipe' })
      : execFileSync(cmd, args, { stdio: 'pipe' });
  const data = path.join(dir, 'data');
  run(path.join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
  const port = await freePort();
  // fsync off: a throwaway cluster for tests, never a user's data.
  const fast = opts.durable ? '' : ' -c fsync=off -c synchronous_commit=off -c full_page_writes=off';
  const serverOpts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1${fast}`;
  run(path.join(bin, 'pg_ctl'), ['-D', data, '-o', serverOpts, '-l', path.join(dir, 'log'), '-w', 'start']);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let stopped = false;
  return {
    url,
    port,
    createDatabase(name) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Not a plain database name: ${name}`);
      execFileSync('psql', ['-q', '-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-c', `CREATE DATABASE ${name}`], { stdio: 'pipe' });
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    cpuSeconds() {
      const postmaster = Number(fs.readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
      return clusterCpuSeconds(postmaster);
    },
    stop() {
      if (stopped) return;
      stopped = true;
      try {
        run(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
