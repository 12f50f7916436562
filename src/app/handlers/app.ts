import { HoldfastError } from '../../api/errors.ts';
import { APP_VERSION } from '../../version.ts';
import { defaultTimeZone } from '../run-import.ts';
import type { NamespaceHandlers } from '../dispatch.ts';

export const appHandlers: NamespaceHandlers<'app'> = {
  'app.info': (ctx) => ({
    version: APP_VERSION,
    transport: ctx.host.kind,
    presence: ctx.host.presence?.() ?? [],
    canPickPaths: ctx.host.pickPath !== undefined,
    defaultTz: defaultTimeZone(),
    launchCase: ctx.host.launchCase ?? null,
  }),
};

export const dialogHandlers: NamespaceHandlers<'dialog'> = {
  'dialog.pickPath': async (ctx, args) => {
    if (!ctx.host.pickPath) throw new HoldfastError('VALIDATION', 'Choosing files needs the desktop app; type the path instead.');
    return { path: await ctx.host.pickPath(args) };
  },
};
