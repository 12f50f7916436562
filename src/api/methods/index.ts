/**
 * The method map: every namespace's methods merged into one. Adding a method is one line in its
 * namespace file; a new namespace is one line here.
 */
import type { ArgsOf, ParsedArgsOf, ResultOf } from '../contract.ts';
import { appMethods, dialogMethods } from './app.ts';
import { casesMethods } from './cases.ts';
import { importsMethods, sourcesMethods } from './imports.ts';
import { jobsMethods } from './jobs.ts';
import { conversationsMethods } from './conversations.ts';
import { messagesMethods } from './messages.ts';
import { searchMethods } from './search.ts';
import { fieldsMethods, holdsMethods, identitiesMethods, notesMethods, retentionMethods, reviewMethods, tagsMethods } from './review.ts';
import { productionsMethods, redactionsMethods } from './productions.ts';
import { auditMethods, verifyMethods } from './audit.ts';
import { statsMethods } from './stats.ts';
import { analysisMethods, enrichMethods } from './analysis.ts';
import { surveillanceMethods } from './surveillance.ts';
import { batchesMethods } from './batches.ts';
import { mattersMethods } from './matters.ts';

export const METHODS = {
  ...appMethods,
  ...dialogMethods,
  ...casesMethods,
  ...importsMethods,
  ...sourcesMethods,
  ...jobsMethods,
  ...conversationsMethods,
  ...messagesMethods,
  ...searchMethods,
  ...tagsMethods,
  ...reviewMethods,
  ...notesMethods,
  ...fieldsMethods,
  ...holdsMethods,
  ...retentionMethods,
  ...identitiesMethods,
  ...productionsMethods,
  ...redactionsMethods,
  ...auditMethods,
  ...verifyMethods,
  ...statsMethods,
  ...analysisMethods,
  ...enrichMethods,
  ...surveillanceMethods,
  ...batchesMethods,
  ...mattersMethods,
};

export type Methods = typeof METHODS;
export type MethodName = keyof Methods & string;
export type Args<M extends MethodName> = ArgsOf<Methods[M]>;
export type ParsedArgs<M extends MethodName> = ParsedArgsOf<Methods[M]>;
export type Result<M extends MethodName> = ResultOf<Methods[M]>;

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(METHODS, name);
}
