/** The command table. Each command lives in its own module; the contract is docs/CLI.md. */
import type { CliContext } from '../io.ts';
import { createCommand } from './create.ts';
import { infoCommand } from './info.ts';
import { formatsCommand } from './formats.ts';
import { importCommand } from './import.ts';
import { messagesCommand } from './messages.ts';
import { verifyCommand } from './verify.ts';
import { auditCommand } from './audit.ts';
import { rekeyCommand } from './rekey.ts';
import { serveCommand } from './serve.ts';
import { serverCommand } from './server.ts';
import { serverExportCommand } from './server-export.ts';
import { serverImportCommand } from './server-import.ts';
import { serverUserCommand } from './server-user.ts';
import { tagCommand } from './tag.ts';
import { tagsCommand } from './tags.ts';
import { holdCommand } from './hold.ts';
import { deleteCommand } from './delete.ts';
import { retentionCommand } from './retention.ts';
import { personalCommand } from './personal.ts';
import { identitiesCommand } from './identities.ts';
import { notesCommand } from './notes.ts';
import { threadCommand } from './thread.ts';
import { conversationsCommand } from './conversations.ts';
import { timezoneCommand } from './timezone.ts';
import { searchCommand } from './search.ts';
import { searchTermsCommand } from './search-terms.ts';
import { reindexCommand } from './reindex.ts';
import { produceCommand } from './produce.ts';
import { verifyProductionCommand } from './verify-production.ts';
import { gapsCommand } from './gaps.ts';
import { alertDispositionCommand, alertsCommand, policyCommand } from './surveillance.ts';
import { enrichCommand, entitiesCommand } from './enrich.ts';
import { ocrCommand } from './ocr.ts';
import { batchesCommand } from './batches.ts';

export interface Command {
  name: string;
  usage: string;
  summary: string;
  /** Returns the exit status (0 success, 1 failure). */
  run(args: string[], ctx: CliContext): Promise<number>;
}

export const COMMANDS: readonly Command[] = [
  createCommand,
  infoCommand,
  formatsCommand,
  importCommand,
  messagesCommand,
  verifyCommand,
  auditCommand,
  rekeyCommand,
  serveCommand,
  serverCommand,
  serverImportCommand,
  serverExportCommand,
  serverUserCommand,
  tagCommand,
  tagsCommand,
  holdCommand,
  deleteCommand,
  retentionCommand,
  personalCommand,
  identitiesCommand,
  notesCommand,
  threadCommand,
  conversationsCommand,
  timezoneCommand,
  searchCommand,
  searchTermsCommand,
  reindexCommand,
  produceCommand,
  verifyProductionCommand,
  gapsCommand,
  policyCommand,
  alertsCommand,
  alertDispositionCommand,
  enrichCommand,
  entitiesCommand,
  ocrCommand,
  batchesCommand,
];
