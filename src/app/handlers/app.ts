import { createClient } from '../../api/client.ts';
import { HoldfastError } from '../../api/errors.ts';
import { APP_VERSION } from '../../version.ts';
import { defaultTimeZone } from '../run-import.ts';
import type { NamespaceHandlers } from '../dispatch.ts';

export const appHandlers: NamespaceHandlers<'app'> = {
  'app.info': async (ctx) => {
    // Connected to a matter server: who is working and as whom come from the server.
    const remote = ctx.remote ? await createClient(ctx.remote.transport).call('app.info', {}) : null;
    return {
      version: APP_VERSION,
      transport: ctx.host.kind,
      presence: remote?.presence ?? ctx.host.presence?.() ?? [],
      account: remote?.account ?? ctx.host.account?.() ?? null,
      canPickPaths: ctx.host.pickPath !== undefined,
      defaultTz: defaultTimeZone(),
      launchCase: ctx.host.launchCase ?? null,
    };
  },
};

export const dialogHandlers: NamespaceHandlers<'dialog'> = {
  'dialog.pickPath': async (ctx, args) => {
    if (!ctx.host.pickPath) throw new HoldfastError('VALIDATION', 'Choosing files needs the desktop app; type the path instead.');
    return { path: await ctx.host.pickPath(args) };
  },
};
