/**
 * `node test/bench/whatsapp-parse.ts [messages]`: the WhatsApp reader alone (both passes, records
 * built, no case) against whatsapp-chat-parser on the same generated export, in this process.
 * The import path adds the case writes on top; `npm run bench` measures that end to end.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseString } from 'whatsapp-chat-parser';
import { whatsappTxt } from '../../src/importers/whatsapp/importer.ts';
import { EXPORT_FORMATS, chatEvents, renderExport } from '../helpers/whatsapp-export.ts';

const n = Number(process.argv[2] ?? 300_000);
const file = path.join(os.tmpdir(), `holdfast-wa-parse-${n}.txt`);
if (!fs.existsSync(file)) {
  const format = EXPORT_FORMATS.find((f) => f.id === 'en-US-android')!;
  const fd = fs.openSync(file, 'w');
  for (let done = 0, seed = 1; done < n; seed++) {
    const batch = Math.min(50_000, n - done);
    fs.writeSync(fd, renderExport(chatEvents({ messages: batch, seed, start: { year: 2015 + (seed % 8), month: 1 + (seed % 12), day: 1 } }), format));
    done += batch;
  }
  fs.closeSync(fd);
}
const mb = fs.statSync(file).size / 2 ** 20;

let t = performance.now();
let ours = 0;
const ctx = { path: file, options: { tz: 'Europe/London' }, signal: new AbortController().signal, warn: () => {}, progress: () => {} };
for await (const r of whatsappTxt.read(ctx)) if (r.type === 'message') ours++;
const oursMs = performance.now() - t;

t = performance.now();
const theirs = parseString(fs.readFileSync(file, 'utf8')).length;
const theirsMs = performance.now() - t;

const rate = (count: number, ms: number) => Math.round(count / (ms / 1000)).toLocaleString('en-US');
console.log(`${n.toLocaleString('en-US')} messages, ${mb.toFixed(0)} MB, load ${os.loadavg()[0]!.toFixed(1)}`);
console.log(`holdfast reader (streamed, 2 passes, tz Europe/London): ${ours} messages in ${(oursMs / 1000).toFixed(2)} s = ${rate(ours, oursMs)} msg/s`);
console.log(`whatsapp-chat-parser (whole file in memory):             ${theirs} messages in ${(theirsMs / 1000).toFixed(2)} s = ${rate(theirs, theirsMs)} msg/s`);
