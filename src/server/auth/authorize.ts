/**
 * The matter server's check before dispatch: the signed-in account's role must grant the method's
 * permission (roles.ts), and the call then runs as that account, so the case audit log names it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Envelope } from '../../api/contract.ts';
import { HoldfastError, toErrorDTO } from '../../api/errors.ts';
import { isMethodName } from '../../api/methods/index.ts';
import type { MethodName } from '../../api/methods/index.ts';
import type { AppContext } from '../../app/app-context.ts';
import { dispatch } from '../../app/dispatch.ts';
import { actingAs } from '../../case/actor.ts';
import { GRANTS, METHOD_PERMISSIONS, ROLES, mayCall } from './roles.ts';
import type { Role } from './roles.ts';

export interface SignedInAccount {
  name: string;
  role: Role;
}

const calling = new AsyncLocalStorage<SignedInAccount>();

/** The account of the call running now (inside dispatchAs). */
export function currentAccount(): SignedInAccount | null {
  return calling.getStore() ?? null;
}

export function authorize(account: SignedInAccount, method: MethodName): void {
  if (mayCall(account.role, method)) return;
  const needed = METHOD_PERMISSIONS[method];
  const roles = ROLES.filter((r) => GRANTS[r].includes(needed));
  throw new HoldfastError('FORBIDDEN', `${account.role} may not call ${method}: it needs the ${needed} permission (${roles.join(', ')}).`, {
    method,
    role: account.role,
  });
}

/** What the server transport calls for each API call of a signed-in account. */
export async function dispatchAs(ctx: AppContext, account: SignedInAccount, method: unknown, args: unknown): Promise<Envelope> {
  try {
    // An unknown name is dispatch's VALIDATION error, with the same message as everywhere.
    if (isMethodName(method)) authorize(account, method);
  } catch (err) {
    return { ok: false, error: toErrorDTO(err) };
  }
  return calling.run(account, () => actingAs(account.name, () => dispatch(ctx, method, args)));
}
