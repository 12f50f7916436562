/** Positional parameters for SQL assembled piece by piece: `p.add(value)` is the `$n` to write. */
export function params(): { add(value: unknown): string; values: unknown[] } {
  const values: unknown[] = [];
  return {
    add: (value) => `$${values.push(value)}`,
    values,
  };
}
