/**
 * The command table. Each command lives in its own module, loaded only when it runs: a call pays for
 * its own code, not every command's (start-up is most of a short command's time). The contract is docs/CLI.md.
 */
import type { CliContext } from '../io.ts';

export interface Command {
  name: string;
  usage: string;
  summary: string;
  /** Returns the exit status (0 success, 1 failure). */
  run(args: string[], ctx: CliContext): Promise<number>;
}

export interface CommandEntry {
  name: string;
  load(): Promise<Command>;
}

export const COMMANDS: readonly CommandEntry[] = [
  { name: 'create', load: async () => (await import('./create.ts')).createCommand },
  { name: 'info', load: async () => (await import('./info.ts')).infoCommand },
  { name: 'formats', load: async () => (await import('./formats.ts')).formatsCommand },
  { name: 'import', load: async () => (await import('./import.ts')).importCommand },
  { name: 'messages', load: async () => (await import('./messages.ts')).messagesCommand },
  { name: 'verify', load: async () => (await import('./verify.ts')).verifyCommand },
  { name: 'audit', load: async () => (await import('./audit.ts')).auditCommand },
  { name: 'rekey', load: async () => (await import('./rekey.ts')).rekeyCommand },
  { name: 'serve', load: async () => (await import('./serve.ts')).serveCommand },
  { name: 'server', load: async () => (await import('./server.ts')).serverCommand },
  { name: 'server-import', load: async () => (await import('./server-import.ts')).serverImportCommand },
  { name: 'server-export', load: async () => (await import('./server-export.ts')).serverExportCommand },
  { name: 'server-user', load: async () => (await import('./server-user.ts')).serverUserCommand },
  { name: 'tag', load: async () => (await import('./tag.ts')).tagCommand },
  { name: 'tags', load: async () => (await import('./tags.ts')).tagsCommand },
  { name: 'hold', load: async () => (await import('./hold.ts')).holdCommand },
  { name: 'delete', load: async () => (await import('./delete.ts')).deleteCommand },
  { name: 'retention', load: async () => (await import('./retention.ts')).retentionCommand },
  { name: 'personal', load: async () => (await import('./personal.ts')).personalCommand },
  { name: 'identities', load: async () => (await import('./identities.ts')).identitiesCommand },
  { name: 'notes', load: async () => (await import('./notes.ts')).notesCommand },
  { name: 'thread', load: async () => (await import('./thread.ts')).threadCommand },
  { name: 'conversations', load: async () => (await import('./conversations.ts')).conversationsCommand },
  { name: 'timezone', load: async () => (await import('./timezone.ts')).timezoneCommand },
  { name: 'search', load: async () => (await import('./search.ts')).searchCommand },
  { name: 'search-terms', load: async () => (await import('./search-terms.ts')).searchTermsCommand },
  { name: 'reindex', load: async () => (await import('./reindex.ts')).reindexCommand },
  { name: 'produce', load: async () => (await import('./produce.ts')).produceCommand },
  { name: 'verify-production', load: async () => (await import('./verify-production.ts')).verifyProductionCommand },
  { name: 'gaps', load: async () => (await import('./gaps.ts')).gapsCommand },
  { name: 'policy', load: async () => (await import('./surveillance.ts')).policyCommand },
  { name: 'alerts', load: async () => (await import('./surveillance.ts')).alertsCommand },
  { name: 'alert-disposition', load: async () => (await import('./surveillance.ts')).alertDispositionCommand },
  { name: 'enrich', load: async () => (await import('./enrich.ts')).enrichCommand },
  { name: 'entities', load: async () => (await import('./enrich.ts')).entitiesCommand },
  { name: 'ocr', load: async () => (await import('./ocr.ts')).ocrCommand },
  { name: 'batches', load: async () => (await import('./batches.ts')).batchesCommand },
];
