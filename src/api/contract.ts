/**
 * The shape of the one typed contract between the UI and the core: a map of `namespace.verb`
 * methods, each with one argument object (a zod schema, checked at dispatch because the renderer
 * is untrusted) and a JSON-safe result type, plus the events the core pushes.
 * Types only here; the map itself is in ./methods/index.ts.
 */
import type { z } from 'zod';
import type { ErrorDTO } from './errors.ts';

/** One method: its argument schema and (as a phantom type) its result. */
export interface MethodSpec<A extends z.ZodType = z.ZodType, R = unknown> {
  readonly args: A;
  /** Never set: carries the result type for the client and the handlers. */
  readonly result?: R;
}

/** `method<ResultDTO>()(z.object({...}))` — the result type first, then the argument schema. */
export function method<R>() {
  return <A extends z.ZodType>(args: A): MethodSpec<A, R> => ({ args });
}

export type ArgsOf<S> = S extends MethodSpec<infer A, unknown> ? z.input<A> : never;
/** Arguments after validation (defaults applied). */
export type ParsedArgsOf<S> = S extends MethodSpec<infer A, unknown> ? z.output<A> : never;
export type ResultOf<S> = S extends MethodSpec<z.ZodType, infer R> ? R : never;

/** What crosses a transport for one call. */
export type Envelope<R = unknown> = { ok: true; result: R } | { ok: false; error: ErrorDTO };
