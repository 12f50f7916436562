/**
 * Every namespace's handlers, each module loaded on its namespace's first call: a CLI command
 * loads what it uses (an import does not load the PDF and XLSX writers). The type makes a namespace
 * without a loader, or a method without a handler, a compile error.
 */
import type { Handler, NamespaceHandlers } from '../dispatch.ts';
import type { MethodName } from '../../api/methods/index.ts';

type Namespace = MethodName extends `${infer NS}.${string}` ? NS : never;

const LOADERS: { [NS in Namespace]: () => Promise<NamespaceHandlers<NS>> } = {
  app: async () => (await import('./app.ts')).appHandlers,
  dialog: async () => (await import('./app.ts')).dialogHandlers,
  cases: async () => (await import('./cases.ts')).casesHandlers,
  imports: async () => (await import('./imports.ts')).importsHandlers,
  sources: async () => (await import('./imports.ts')).sourcesHandlers,
  jobs: async () => (await import('./jobs.ts')).jobsHandlers,
  conversations: async () => (await import('./conversations.ts')).conversationsHandlers,
  messages: async () => (await import('./messages.ts')).messagesHandlers,
  search: async () => (await import('./search.ts')).searchHandlers,
  tags: async () => (await import('./review.ts')).tagsHandlers,
  review: async () => (await import('./review.ts')).reviewHandlers,
  notes: async () => (await import('./review.ts')).notesHandlers,
  fields: async () => (await import('./review.ts')).fieldsHandlers,
  holds: async () => (await import('./review.ts')).holdsHandlers,
  retention: async () => (await import('./review.ts')).retentionHandlers,
  identities: async () => (await import('./review.ts')).identitiesHandlers,
  productions: async () => (await import('./productions.ts')).productionsHandlers,
  redactions: async () => (await import('./productions.ts')).redactionsHandlers,
  audit: async () => (await import('./audit.ts')).auditHandlers,
  verify: async () => (await import('./audit.ts')).verifyHandlers,
  stats: async () => (await import('./stats.ts')).statsHandlers,
  analysis: async () => (await import('./analysis.ts')).analysisHandlers,
  enrich: async () => (await import('./analysis.ts')).enrichHandlers,
  surveillance: async () => (await import('./surveillance.ts')).surveillanceHandlers,
  batches: async () => (await import('./batches.ts')).batchesHandlers,
  matters: async () => (await import('./matters.ts')).mattersHandlers,
};

export async function handlerFor<M extends MethodName>(method: M): Promise<Handler<M>> {
  const ns = method.slice(0, method.indexOf('.')) as Namespace;
  const handlers = (await LOADERS[ns]()) as Record<string, unknown>;
  return handlers[method] as Handler<M>;
}
