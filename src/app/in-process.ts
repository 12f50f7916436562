/** The client's transport when the UI or a test runs in the core's own process: dispatch directly. */
import type { Transport } from '../api/client.ts';
import type { AppContext } from './app-context.ts';
import { dispatch } from './dispatch.ts';

export function inProcessTransport(ctx: AppContext): Transport {
  return {
    invoke: (method, args) => dispatch(ctx, method, args),
    subscribe: (listener) => ctx.events.subscribe((event, payload) => listener(event, payload)),
  };
}
