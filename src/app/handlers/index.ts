/** Every namespace's handlers merged; the type makes a method without a handler a compile error. */
import type { Handlers } from '../dispatch.ts';
import { appHandlers, dialogHandlers } from './app.ts';
import { casesHandlers } from './cases.ts';
import { importsHandlers, sourcesHandlers } from './imports.ts';
import { jobsHandlers } from './jobs.ts';
import { conversationsHandlers } from './conversations.ts';
import { messagesHandlers } from './messages.ts';
import { searchHandlers } from './search.ts';
import { fieldsHandlers, holdsHandlers, identitiesHandlers, notesHandlers, retentionHandlers, reviewHandlers, tagsHandlers } from './review.ts';
import { productionsHandlers, redactionsHandlers } from './productions.ts';
import { auditHandlers, verifyHandlers } from './audit.ts';
import { statsHandlers } from './stats.ts';
import { analysisHandlers, enrichHandlers } from './analysis.ts';
import { surveillanceHandlers } from './surveillance.ts';

export const HANDLERS: Handlers = {
  ...appHandlers,
  ...dialogHandlers,
  ...casesHandlers,
  ...importsHandlers,
  ...sourcesHandlers,
  ...jobsHandlers,
  ...conversationsHandlers,
  ...messagesHandlers,
  ...searchHandlers,
  ...tagsHandlers,
  ...reviewHandlers,
  ...notesHandlers,
  ...fieldsHandlers,
  ...holdsHandlers,
  ...retentionHandlers,
  ...identitiesHandlers,
  ...productionsHandlers,
  ...redactionsHandlers,
  ...auditHandlers,
  ...verifyHandlers,
  ...statsHandlers,
  ...analysisHandlers,
  ...enrichHandlers,
  ...surveillanceHandlers,
};
