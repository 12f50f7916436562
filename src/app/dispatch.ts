/**
 * The one entry point every transport calls: checks the method name, validates the argument
 * object against the contract's schema (the renderer is untrusted), runs the handler and returns
 * an envelope. Nothing thrown escapes: failures become `{code, message, details}`.
 */
import type { Envelope } from '../api/contract.ts';
import { HoldfastError, toErrorDTO } from '../api/errors.ts';
import { METHODS, isMethodName } from '../api/methods/index.ts';
import type { MethodName, ParsedArgs, Result } from '../api/methods/index.ts';
import type { AppContext } from './app-context.ts';
import { handlerFor } from './handlers/index.ts';
import { refuseOffline } from './offline-guard.ts';
import { LOCAL_METHODS } from './remote.ts';

export type Handler<M extends MethodName> = (ctx: AppContext, args: ParsedArgs<M>) => Promise<Result<M>> | Result<M>;


/** The handlers of one namespace: `NamespaceHandlers<'cases'>` must cover every `cases.*` method. */
export type NamespaceHandlers<NS extends string> = { [M in MethodName as M extends `${NS}.${string}` ? M : never]: Handler<M> };

export async function dispatch(ctx: AppContext, method: unknown, args: unknown): Promise<Envelope> {
  try {
    if (!isMethodName(method)) {
      throw new HoldfastError('VALIDATION', `There is no method ${JSON.stringify(String(method).slice(0, 100))}.`, { method: String(method).slice(0, 100) });
    }
    // Connected to a matter server: it validates, authorizes and runs the call.
    const remote = ctx.remote;
    if (remote && !LOCAL_METHODS.has(method)) {
      const envelope = await remote.transport.invoke(method, args ?? {});
      // The session ended on the server (expired, signed out elsewhere, account disabled): so does the connection.
      if (!envelope.ok && envelope.error.code === 'UNAUTHENTICATED') await ctx.disconnect(envelope.error.message);
      return envelope;
    }
    const parsed = METHODS[method].args.safeParse(args ?? {});
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
      const first = issues[0];
      throw new HoldfastError(
        'VALIDATION',
        `Invalid arguments for ${method}${first ? `: ${first.path ? `${first.path}: ` : ''}${first.message}` : ''}.`,
        { method, issues },
      );
    }
    if (ctx.isOpen) refuseOffline(ctx.session(), method);
    const handler = (await handlerFor(method)) as (ctx: AppContext, args: unknown) => unknown;
    const result = await handler(ctx, parsed.data);
    return { ok: true, result: result === undefined ? null : result };
  } catch (err) {
    if (!(err instanceof HoldfastError) && process.env.HOLDFAST_DEBUG) console.error(err);
    return { ok: false, error: toErrorDTO(err) };
  }
}
