import { dashboard } from '../../case/dashboard.ts';
import type { NamespaceHandlers } from '../dispatch.ts';

export const statsHandlers: NamespaceHandlers<'stats'> = {
  'stats.dashboard': (ctx, a) => dashboard(ctx.session(), a),
};
