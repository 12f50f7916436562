/** Runs the WhatsApp importer's read() on a file and collects what it yields (parser-level tests). */
import { whatsappTxt } from '../../src/importers/whatsapp/importer.ts';
import type { ImportOptions, ImportRecord, ImportWarning, MessageRecord, ConversationRecord, SourceFileRecord } from '../../src/importers/types.ts';

export interface ReadResult {
  conversation: ConversationRecord;
  messages: MessageRecord[];
  files: SourceFileRecord[];
  warnings: ImportWarning[];
}

export async function readExport(file: string, options: Partial<ImportOptions> = {}): Promise<ReadResult> {
  const warnings: ImportWarning[] = [];
  const records: ImportRecord[] = [];
  const ctx = {
    path: file,
    options: { tz: 'UTC', ...options },
    signal: new AbortController().signal,
    warn: (w: ImportWarning) => warnings.push(w),
    progress: () => {},
  };
  for await (const r of whatsappTxt.read(ctx)) records.push(r);
  const conversation = records.find((r): r is ConversationRecord => r.type === 'conversation');
  if (!conversation) throw new Error('no conversation record');
  return {
    conversation,
    messages: records.filter((r): r is MessageRecord => r.type === 'message'),
    files: records.filter((r): r is SourceFileRecord => r.type === 'source-file'),
    warnings,
  };
}
