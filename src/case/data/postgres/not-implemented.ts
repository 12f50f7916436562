import { HoldfastError } from '../../../api/errors.ts';

/** A domain not yet on PostgreSQL (README.md lists them): every member throws, naming itself. */
export function notYetImplemented<T extends object>(domain: string): T {
  return new Proxy({} as T, {
    get: (_target, member) => () => {
      throw new HoldfastError('INTERNAL', `${domain}.${String(member)} is not yet implemented for a matter on PostgreSQL.`);
    },
  });
}
