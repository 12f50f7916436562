/**
 * The chat's name from the export's file name. WhatsApp names the file after the chat in the
 * phone's language; these forms are seen in public exports:
 *   en "WhatsApp Chat with X", "WhatsApp Chat - X"   de "WhatsApp-Chat mit X", "WhatsApp Chat mit X"
 *   es "Chat de WhatsApp con X"   it "Chat di WhatsApp con X", "Chat WhatsApp con X"
 *   pt "Conversa do WhatsApp com X"   fr "Discussion WhatsApp avec X"   nl "WhatsApp-chat met X"
 *   id "Chat WhatsApp dengan X"
 * A browser's " (1)" for a second download is left off, so both downloads name one chat.
 */
import path from 'node:path';

const FORMS: RegExp[] = [
  /^WhatsApp[ -]Chat (?:with|mit|met|-|–) (.+)$/i,
  /^Chat (?:de|di|do) WhatsApp (?:con|com) (.+)$/i,
  /^Chat WhatsApp (?:con|dengan) (.+)$/i,
  /^Conversa do WhatsApp com (.+)$/i,
  /^Discussion WhatsApp avec (.+)$/i,
];

const MARKS = /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** The chat name a file name gives, or undefined when it is not in one of the known forms. */
export function chatNameFromFileName(file: string): string | undefined {
  const base = path.basename(file).replace(/\.(txt|zip)$/i, '').replace(MARKS, '').normalize('NFC').trim();
  const stem = base.replace(/\s\(\d{1,3}\)$/, '');
  for (const re of FORMS) {
    const m = re.exec(stem);
    if (m && m[1]!.trim()) return m[1]!.trim();
  }
  return undefined;
}

/** The file's own name without extension, when no known form applies (never "_chat"). */
export function plainName(file: string): string | undefined {
  const base = path.basename(file).replace(/\.(txt|zip)$/i, '').replace(MARKS, '').normalize('NFC').trim();
  return base && !/^_?chat$/i.test(base) ? base : undefined;
}
