/**
 * Splits an mbox file into messages as a byte stream (messages may be in any charset, so no decoding
 * here). A message starts at a `From ` line at the start of the file or after an empty line; `>From `
 * lines are unescaped as mboxrd defines (one `>` removed from `>+From `), which is also right for
 * mboxo except for the ambiguity mboxo itself has.
 */
import fs from 'node:fs';

export interface MboxMessage {
  /** The message without its `From ` line, unescaped. */
  raw: Buffer;
  /** The separator line (`From sender date`), latin1-decoded. */
  fromLine: string;
  /** 1-based line of the separator, and its byte offset. */
  line: number;
  byte: number;
}

const FROM = Buffer.from('From ');
const NL = 0x0a;

function isSeparator(line: Buffer): boolean {
  return line.length > 5 && line.subarray(0, 5).equals(FROM);
}

/** `>From `, `>>From `... → one `>` fewer. */
function unescape(line: Buffer): Buffer {
  let i = 0;
  while (i < line.length && line[i] === 0x3e) i++;
  return i > 0 && line.subarray(i, i + 5).equals(FROM) ? line.subarray(1) : line;
}

export interface MboxOptions {
  signal?: AbortSignal;
  onBytes?: (total: number) => void;
  /** A message larger than this is reported through `onTooLarge` and skipped, not buffered. */
  maxMessageBytes: number;
  onTooLarge?: (at: { line: number; byte: number }) => void;
}

export async function* mboxMessages(file: string, opts: MboxOptions): AsyncGenerator<MboxMessage> {
  const stream = fs.createReadStream(file, { highWaterMark: 1 << 20, ...(opts.signal ? { signal: opts.signal } : {}) });
  let partial: Buffer[] = [];
  let lineNo = 0;
  let offset = 0;
  let prevBlank = true;
  let current: { lines: Buffer[]; size: number; fromLine: string; line: number; byte: number; tooLarge: boolean } | undefined;

  const finish = (): MboxMessage | undefined => {
    if (!current || current.tooLarge) return undefined;
    // The blank line before the next separator belongs to the format, not the message.
    const lines = current.lines;
    if (lines.length && (lines[lines.length - 1]!.length === 0 || (lines[lines.length - 1]!.length === 1 && lines[lines.length - 1]![0] === 0x0d))) lines.pop();
    return { raw: Buffer.concat(lines.flatMap((l) => [l, Buffer.from([NL])])), fromLine: current.fromLine, line: current.line, byte: current.byte };
  };

  const onLine = (line: Buffer, lineByte: number): MboxMessage | undefined => {
    lineNo++;
    const bare = line.length && line[line.length - 1] === 0x0d ? line.subarray(0, -1) : line;
    let done: MboxMessage | undefined;
    if (prevBlank && isSeparator(bare)) {
      done = finish();
      current = { lines: [], size: 0, fromLine: bare.toString('latin1'), line: lineNo, byte: lineByte, tooLarge: false };
    } else if (current) {
      if (!current.tooLarge) {
        current.size += line.length + 1;
        if (current.size > opts.maxMessageBytes) {
          current.tooLarge = true;
          current.lines = [];
          opts.onTooLarge?.({ line: current.line, byte: current.byte });
        } else {
          current.lines.push(Buffer.from(unescape(bare)));
        }
      }
    } else if (bare.length > 0) {
      throw Object.assign(new Error('the file does not start with a "From " line'), { line: lineNo, byte: lineByte });
    }
    prevBlank = bare.length === 0;
    return done;
  };

  let lineStart = 0;
  for await (const chunk of stream) {
    const buf = chunk as Buffer;
    let start = 0;
    for (let i = buf.indexOf(NL); i >= 0; i = buf.indexOf(NL, i + 1)) {
      const piece = buf.subarray(start, i);
      const line = partial.length ? Buffer.concat([...partial, piece]) : piece;
      partial = [];
      const done = onLine(line, lineStart);
      lineStart = offset + i + 1;
      start = i + 1;
      if (done) yield done;
    }
    if (start < buf.length) partial.push(Buffer.from(buf.subarray(start)));
    offset += buf.length;
    opts.onBytes?.(offset);
  }
  if (partial.length) {
    const done = onLine(Buffer.concat(partial), lineStart);
    if (done) yield done;
  }
  const last = finish();
  if (last) yield last;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The asctime date of a `From sender Mon Jan  1 10:00:00 2024` line, read as UTC (the convention). */
export function fromLineDate(fromLine: string): number | undefined {
  const m = /([A-Z][a-z]{2}) +(\d{1,2}) (\d{1,2}):(\d{2})(?::(\d{2}))? (?:([+-]\d{4}|[A-Z]{2,4}) )?(\d{4})/.exec(fromLine);
  if (!m) return undefined;
  const month = MONTHS.indexOf(m[1]!);
  if (month < 0) return undefined;
  const utc = Date.UTC(Number(m[7]), month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5] ?? 0));
  const zone = m[6] && /^[+-]\d{4}$/.test(m[6]) ? (m[6][0] === '-' ? -1 : 1) * (Number(m[6].slice(1, 3)) * 60 + Number(m[6].slice(3))) : 0;
  return utc - zone * 60_000;
}
