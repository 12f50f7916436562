/** The signed-in account on a matter (null on a case file), so screens hide what its role may not do. */
import { createContext, useContext } from 'react';
import type { AccountDTO } from '../../src/api/dto.ts';
import type { MethodName } from '../../src/api/methods/index.ts';

export const AccountContext = createContext<AccountDTO | null>(null);

/** False when the signed-in account's role may not call `method` (the server refuses it anyway). */
export function useMay(method: MethodName): boolean {
  return mayIn(useContext(AccountContext), method);
}

export function mayIn(account: AccountDTO | null, method: MethodName): boolean {
  return !account || !account.forbidden.includes(method);
}
