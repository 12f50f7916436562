/**
 * Methods of the contract the matter server does not serve: they act on case files and dialogs of
 * the host the app runs on (and its own connection to a matter server), while a matter is chosen when
 * signing in and stays open for everyone.
 */
import { HoldfastError } from '../../api/errors.ts';
import type { MethodName } from '../../api/methods/index.ts';

const CASE_FILE_METHODS: ReadonlySet<MethodName> = new Set([
  'dialog.pickPath',
  'cases.create',
  'cases.open',
  'cases.close',
  'cases.rekey',
  'cases.recent',
  'cases.forget',
  'matters.connect',
  'matters.disconnect',
  'matters.current',
  'matters.recent',
] satisfies MethodName[]);

export function isServed(method: MethodName): boolean {
  return !CASE_FILE_METHODS.has(method);
}

export function assertServed(method: MethodName): void {
  if (!isServed(method)) {
    throw new HoldfastError('VALIDATION', `${method} is not served by the matter server: it acts on case files, and a matter is chosen when signing in.`, { method });
  }
}
