/** Shared by the WhatsApp tests: the CLI's own code, in this process (a failure of each kind also as a child: cliHere). */
import { cliHere, newCase, tempDir } from '../helpers/case.ts';

export interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

export function holdfast(args: string[]): Promise<Run> {
  return cliHere(args);
}

export interface ImportJson {
  sourceId: number;
  alreadyImported: boolean;
  messages: number;
  conversations: number;
  attachments: number;
  duplicatesSkipped: number;
  warnings: { code: string; locator: string; message: string }[];
}

export interface MessageJson {
  id: number;
  conversationId: number;
  conversation: string;
  sender: string | null;
  senderHandle: string | null;
  direction: string;
  sentAt: string;
  rawTime: string;
  text: string;
  kind: 'message' | 'system';
  systemType: string | null;
  attachments: { name: string; sha256: string | null; size: number | null; mime: string | null; missingReason: string | null }[];
  edited: boolean;
  deleted: boolean;
  source: { sourceId: number; locator: string };
}

/** A fresh encrypted case file (created in-process; imports go through the CLI). */
export function freshCase(): string {
  const session = newCase(tempDir('holdfast-wa-'));
  const file = session.path;
  session.close();
  return file;
}

export async function importJson(caseFile: string, source: string, ...extra: string[]): Promise<ImportJson> {
  const r = await holdfast(['import', caseFile, source, '--json', ...extra]);
  if (r.status !== 0) throw new Error(`import ${source} exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as ImportJson;
}

export async function messagesOf(caseFile: string): Promise<MessageJson[]> {
  const r = await holdfast(['messages', caseFile, '--jsonl']);
  if (r.status !== 0) throw new Error(`messages exited ${r.status}: ${r.stderr}`);
  return r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as MessageJson);
}

/** The fields a reviewer checks, for compact expected values. */
export function brief(m: MessageJson): [string, string | null, string, string] {
  return [m.sentAt, m.sender, m.kind, m.text];
}
