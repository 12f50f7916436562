import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Command } from './index.ts';
import { intOption, passphrase, UsageError } from '../io.ts';
import { AppContext } from '../../app/app-context.ts';
import { defaultConfigDir } from '../../app/recent.ts';
import { connectFromApp } from '../../server/matter/connect.ts';
import { startServer } from '../../server/server.ts';
import { ensureUi } from '../ui-build.ts';

/** The built UI in a checkout: dist/renderer beside src/ (HOLDFAST_UI_DIR elsewhere). */
export const RENDERER_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../dist/renderer');

export const serveCommand: Command = {
  name: 'serve',
  usage: 'serve [CASE] [--port N]   (passphrase of CASE from HOLDFAST_PASSPHRASE or a prompt)',
  summary: 'The app in a browser over 127.0.0.1, guarded by a per-run token; without CASE it starts at the open/create screen.',
  async run(args, ctx) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { port: { type: 'string' } } });
    const port = intOption(values.port, 'port') ?? 0;
    if (port < 0 || port > 65535) throw new UsageError('--port is between 0 and 65535');
    const app = new AppContext({ host: { kind: 'loopback', connectMatter: connectFromApp }, configDir: defaultConfigDir(ctx.env), examiner: ctx.env.HOLDFAST_EXAMINER });
    const file = positionals[0];
    if (file !== undefined) await app.open(file, await passphrase(ctx));
    const rendererDir = ctx.env.HOLDFAST_UI_DIR || RENDERER_DIR;
    // Built (or rebuilt) here when missing or older than its sources: no separate build step.
    const built = await ensureUi(rendererDir);
    if (built) ctx.stderr.write(built);
    const server = await startServer({ ctx: app, port, rendererDir });
    ctx.stdout.write(`Holdfast is serving ${file ?? 'no case (open or create one in the browser)'} at\n${server.url}\n`);
    ctx.stdout.write('Open that address in a browser on this computer. Press Ctrl+C to stop.\n');
    await new Promise<void>((resolve) => {
      if (ctx.signal.aborted) resolve();
      ctx.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    await server.close();
    await app.shutdown();
    return 0;
  },
};
