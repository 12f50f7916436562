/**
 * Values at chosen JSON paths of a stream, one at a time, so that a JSON file of any size is read in
 * bounded memory (only the value being handed out is kept). Used for exports that put a whole
 * conversation in one JSON file (Meta, Discord, Google Chat).
 */
import type { Readable } from 'node:stream';
import { JSONParser } from '@streamparser/json';
import { HoldfastError } from '../../api/errors.ts';

export interface JsonHit {
  value: unknown;
  /** Keys from the root to the value, e.g. ['messages', 12]. */
  path: (string | number)[];
}

export interface JsonStreamOptions {
  /** JSONPath-like selectors of @streamparser/json ("$.messages.*"). */
  paths: string[];
  /** The source as the user gave it (details.file of errors). */
  file: string;
  /** The JSON file inside the source, for messages and positions ("messages/inbox/a/message_1.json"). */
  label: string;
  signal?: AbortSignal;
  /** Sees the start of the text (BOM removed) before anything is parsed; throws when it is not the expected format. */
  check?: (head: string) => void;
  /** Every raw chunk, e.g. for a custody hash of the file. */
  onChunk?: (chunk: Buffer) => void;
}

export async function* streamJson(input: Readable, o: JsonStreamOptions): AsyncGenerator<JsonHit> {
  const parser = new JSONParser({ paths: o.paths, keepStack: false });
  const queue: JsonHit[] = [];
  let failure: Error | undefined;
  parser.onValue = ({ value, key, stack }) => {
    const path = stack.slice(1).map((s) => s.key as string | number);
    if (key !== undefined) path.push(key);
    queue.push({ value, path });
  };
  parser.onError = (err) => {
    failure ??= err;
  };
  let started = false;
  let offset = 0;
  try {
    for await (const chunk of input) {
      if (o.signal?.aborted) return;
      o.onChunk?.(chunk as Buffer);
      let buf = chunk as Buffer;
      if (!started) {
        started = true;
        if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3);
        o.check?.(buf.subarray(0, 8192).toString('utf8'));
      }
      if (!parser.isEnded) parser.write(buf);
      if (failure) throw corruptJson(o, failure, `bytes ${offset}–${offset + (chunk as Buffer).length}`);
      offset += (chunk as Buffer).length;
      yield* queue.splice(0);
    }
  } finally {
    // Also when the reader stops early: the file or zip entry is released.
    input.destroy();
  }
  if (!started) throw new HoldfastError('IMPORT_SOURCE_CORRUPT', `${o.label} is empty.`, { file: o.file, position: `${o.label} byte 0` });
  if (!parser.isEnded) {
    try {
      parser.end();
    } catch (err) {
      failure ??= err as Error;
    }
  }
  if (failure) throw corruptJson(o, failure, 'end of file');
  yield* queue.splice(0);
}

/** `within`: where the parser was when it failed, used when its message gives no exact byte. */
function corruptJson(o: JsonStreamOptions, err: Error, within: string): HoldfastError {
  const pos = /absolute position "(\d+)"/.exec(err.message);
  const at = pos ? `byte ${pos[1]}` : within;
  const why = /ended in mid-parsing|ended in the middle|Unexpected end/i.test(err.message) ? 'the file ends in the middle of the JSON (truncated?)' : err.message;
  return new HoldfastError('IMPORT_SOURCE_CORRUPT', `${o.label} is not valid JSON at ${at}: ${why}`, { file: o.file, position: `${o.label} ${at}` }, { cause: err });
}
