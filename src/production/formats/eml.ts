/** The bits of RFC 5322/2045/2047 an RSMF container needs: header encoding and folding, quoted-printable, streamed base64. */
import { Transform } from 'node:stream';

const ASCII_PRINTABLE = /^[\x20-\x7e]*$/;

/** One header field, RFC 2047-encoded when it is not plain ASCII, folded to lines under 78 characters. */
export function header(name: string, value: string): string {
  const clean = value.replace(/[\r\n]+/g, ' ');
  if (ASCII_PRINTABLE.test(clean)) return `${name}: ${foldAscii(clean, name.length + 2)}\r\n`;
  const words: string[] = [];
  let chunk = '';
  for (const ch of clean) {
    if (Buffer.byteLength(chunk + ch) > 42) {
      words.push(chunk);
      chunk = '';
    }
    chunk += ch;
  }
  if (chunk) words.push(chunk);
  return `${name}: ${words.map((w) => `=?UTF-8?B?${Buffer.from(w, 'utf8').toString('base64')}?=`).join('\r\n ')}\r\n`;
}

function foldAscii(value: string, used: number): string {
  const out: string[] = [];
  let line = '';
  let room = 76 - used;
  for (const word of value.split(' ')) {
    if (line && line.length + 1 + word.length > room) {
      out.push(line);
      line = word;
      room = 76;
    } else line = line ? `${line} ${word}` : word;
  }
  out.push(line);
  return out.join('\r\n ');
}

/** RFC 5322 date in UTC: "Tue, 03 Jan 2023 08:17:00 +0000". */
export function rfc5322Date(ms: number): string {
  return new Date(ms).toUTCString().replace('GMT', '+0000');
}

/** Quoted-printable (RFC 2045) of UTF-8 text with CRLF line ends: readable where the text is ASCII. */
export function quotedPrintable(text: string): string {
  const lines = text.replace(/\r\n|\r|\n/g, '\n').split('\n');
  const out: string[] = [];
  for (const line of lines) {
    const bytes = Buffer.from(line, 'utf8');
    let cur = '';
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i]!;
      const last = i === bytes.length - 1;
      const plain = (b >= 33 && b <= 126 && b !== 61) || ((b === 32 || b === 9) && !last);
      const enc = plain ? String.fromCharCode(b) : `=${b.toString(16).toUpperCase().padStart(2, '0')}`;
      if (cur.length + enc.length > 75) {
        out.push(`${cur}=`);
        cur = '';
      }
      cur += enc;
    }
    out.push(cur);
  }
  return `${out.join('\r\n')}\r\n`;
}

/** Base64 in 76-character CRLF lines, streamed (the zip inside an RSMF can be large). */
export function base64Lines(): Transform {
  let rest = Buffer.alloc(0);
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      const all = rest.length ? Buffer.concat([rest, chunk]) : chunk;
      const usable = all.length - (all.length % 57);
      rest = Buffer.from(all.subarray(usable));
      let out = '';
      for (let i = 0; i < usable; i += 57) out += `${all.subarray(i, i + 57).toString('base64')}\r\n`;
      cb(null, out);
    },
    flush(cb) {
      cb(null, rest.length ? `${rest.toString('base64')}\r\n` : '');
    },
  });
}
