/**
 * Who is acting, per call: a server serving several signed-in accounts runs each request inside
 * `actingAs(name, ...)`, and every case session read in it (audit entries, notes, holds, jobs it
 * starts) names that account instead of the session's examiner. Outside it nothing changes.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const acting = new AsyncLocalStorage<string>();

export function actingAs<T>(actor: string, fn: () => T): T {
  return acting.run(actor, fn);
}

/** The actor of the call running now, if one was set. */
export function requestActor(): string | undefined {
  return acting.getStore();
}
