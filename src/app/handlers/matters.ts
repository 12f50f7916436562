import type { NamespaceHandlers } from '../dispatch.ts';

export const mattersHandlers: NamespaceHandlers<'matters'> = {
  'matters.connect': (ctx, a) => ctx.connect(a),
  'matters.disconnect': (ctx) => ctx.disconnect(),
  'matters.current': (ctx) => ctx.matterState(),
  'matters.recent': (ctx) => ctx.recentMatters.list(),
};
