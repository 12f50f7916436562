import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Command } from './index.ts';
import { UsageError } from '../io.ts';
import { Accounts } from '../../server/auth/accounts.ts';
import { startMatterServer } from '../../server/matter/server.ts';
import { ensureUi } from '../ui-build.ts';
import { RENDERER_DIR } from './serve.ts';

/** HOST:PORT, [IPv6]:PORT or a bare port (loopback). */
function listenAddress(value: string): { host: string; port: number } {
  const m = /^(?:\[([0-9a-fA-F:]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(value) ?? /^()()(\d{1,5})$/.exec(value);
  const port = Number(m?.[3]);
  if (!m || port > 65535) throw new UsageError(`--listen takes HOST:PORT, not "${value}"`);
  return { host: m[1] || m[2] || '127.0.0.1', port };
}

export const serverCommand: Command = {
  name: 'server',
  usage:
    'server --db URL --listen HOST:PORT [--tls-cert FILE --tls-key FILE] [--output-root DIR] [--import-root DIR]\n' +
    '  URL is postgres://USER@HOST:PORT/DATABASE; its password from PGPASSWORD, not the address.\n' +
    '  Without a certificate only a loopback address is served (plain HTTP).\n' +
    '  Productions and reports are written inside --output-root, sources imported from inside --import-root (none without them).',
  summary: 'The matter server: the matters of a PostgreSQL database to signed-in accounts over HTTPS and WSS.',
  async run(args, ctx) {
    const { values } = parseArgs({ args, options: { db: { type: 'string' }, listen: { type: 'string' }, 'tls-cert': { type: 'string' }, 'tls-key': { type: 'string' }, 'output-root': { type: 'string' }, 'import-root': { type: 'string' } } });
    const { db: database } = values;
    if (!database) throw new UsageError('--db URL is required');
    if (!values.listen) throw new UsageError('--listen HOST:PORT is required');
    if (Boolean(values['tls-cert']) !== Boolean(values['tls-key'])) throw new UsageError('--tls-cert and --tls-key go together');
    const { host, port } = listenAddress(values.listen);
    const roots: { outputRoot?: string; importRoot?: string } = {};
    for (const [flag, key] of [['output-root', 'outputRoot'], ['import-root', 'importRoot']] as const) {
      const dir = values[flag];
      if (!dir) continue;
      if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(`--${flag} ${dir} is not a folder`);
      roots[key] = path.resolve(dir);
    }
    const tls = values['tls-cert'] && values['tls-key'] ? { cert: fs.readFileSync(values['tls-cert']), key: fs.readFileSync(values['tls-key']) } : undefined;
    const accounts = await Accounts.open(database);
    try {
      // Browsers sign in at /signin: the UI is built (or rebuilt) here when missing or older than its sources.
      const rendererDir = ctx.env.HOLDFAST_UI_DIR || RENDERER_DIR;
      const built = await ensureUi(rendererDir);
      if (built) ctx.stderr.write(built);
      const server = await startMatterServer({
        accounts, databaseUrl: database, host, port, rendererDir, ...(tls ? { tls } : {}), ...roots,
        log: (line) => ctx.stderr.write(`${new Date().toISOString()} ${line}\n`),
      });
      ctx.stdout.write(`Holdfast matter server at ${server.url} (browsers sign in at ${server.url}/signin)\nPress Ctrl+C to stop.\n`);
      await new Promise<void>((resolve) => {
        if (ctx.signal.aborted) resolve();
        ctx.signal.addEventListener('abort', () => resolve(), { once: true });
      });
      await server.close();
    } finally {
      await accounts.close();
    }
    return 0;
  },
};
