/** Option helpers shared by the review commands (tag, hold, delete, retention, ...). */
import { UsageError } from '../io.ts';

/** Ids from repeated options and comma lists (`--message 4 --message 5,6`), plus stray numeric positionals (`--message 4 5 6`). */
export function idList(values: readonly string[] | undefined, name: string, extra: readonly string[] = []): number[] {
  const out: number[] = [];
  for (const v of [...(values ?? []), ...(values?.length ? extra : [])]) {
    for (const part of v.split(',').map((s) => s.trim()).filter(Boolean)) {
      if (!/^\d+$/.test(part)) throw new UsageError(`--${name} takes ids (whole numbers), not "${part}"`);
      out.push(Number(part));
    }
  }
  return out;
}

export function oneId(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`--${name} takes an id (a whole number), not "${value}"`);
  return Number(value);
}

/** Positionals after CASE that are not ids swallowed by `idList`: anything left is a usage error. */
export function noStrayArgs(rest: readonly string[], allowedNumeric: boolean): void {
  const stray = rest.filter((r) => !(allowedNumeric && /^\d+(,\d+)*$/.test(r)));
  if (stray.length) throw new UsageError(`unexpected argument "${stray[0]}"`);
}

/** Drops undefined members so optional API fields stay absent. */
export function optional<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
