/**
 * A WhatsApp Android export as the phone makes it — a zip holding "WhatsApp Chat with NAME.txt"
 * and the media it names — for driving the whole app: a story reviewers would search (a shipment,
 * a price, a deleted message, an edit, a photo) plus enough everyday chatter to fill a results list.
 */
import fs from 'node:fs';
import path from 'node:path';
import yazl from 'yazl';
import { rng } from '../helpers/generate.ts';
import { makeJpeg } from '../helpers/images.ts';

export const CUSTODIAN = 'Alex Morgan';
export const CONTACT = 'Dana Whitfield';
export const PHOTO = 'IMG-20240304-WA0001.jpg';

const STORY: [day: string, time: string, author: string, text: string][] = [
  ['04/03/2024', '09:02', CUSTODIAN, 'Morning Dana — did the revised invoice for the Falcon shipment go out?'],
  ['04/03/2024', '09:05', CONTACT, 'Not yet. Finance wants the price confirmed first.'],
  ['04/03/2024', '09:06', CONTACT, `${PHOTO} (file attached)\nPallet count from the warehouse`],
  ['04/03/2024', '09:10', CUSTODIAN, 'OK. Keep it between us until the contract is signed 🤫'],
  ['04/03/2024', '09:11', CONTACT, 'Understood.'],
  ['04/03/2024', '09:15', CUSTODIAN, 'This message was deleted'],
  ['05/03/2024', '14:20', CONTACT, 'The client called about the settlement. They want a call tomorrow at 10.'],
  ['05/03/2024', '14:22', CUSTODIAN, 'Can you send the shipment schedule before the call? <This message was edited>'],
  ['05/03/2024', '14:25', CONTACT, 'Sending now. The price is 4.2M, not 4.5M as in the draft.'],
  ['05/03/2024', '14:31', CUSTODIAN, 'Good. Delete the draft from the shared drive please.'],
  ['06/03/2024', '08:47', CONTACT, 'Shipment left Rotterdam this morning 🚢'],
  ['06/03/2024', '08:50', CUSTODIAN, '👍 Thanks. Let’s not mention the discount to the auditors.'],
];

const CHATTER = ['lunch', 'meeting', 'tomorrow', 'call', 'report', 'traffic', 'coffee', 'train', 'later', 'thanks', 'ok', 'weekend', 'slides', 'budget', 'shipment', 'invoice', 'client', 'Zürich', 'office', 'late'];

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** The export's text: the story, then `chatter` generated messages over the following weeks. */
export function chatText(chatter: number): string {
  const lines = STORY.map(([d, t, a, text]) => `${d}, ${t} - ${a}: ${text}`);
  const r = rng(42);
  let at = Date.UTC(2024, 2, 7, 8, 0);
  for (let i = 0; i < chatter; i++) {
    at += Math.floor(r() * 4 * 3600_000) + 60_000;
    const d = new Date(at);
    const author = r() < 0.5 ? CUSTODIAN : CONTACT;
    const words = Array.from({ length: 3 + Math.floor(r() * 8) }, () => CHATTER[Math.floor(r() * CHATTER.length)]!);
    const text = words.join(' ');
    lines.push(`${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}, ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} - ${author}: ${text[0]!.toUpperCase()}${text.slice(1)}.`);
  }
  return `${lines.join('\n')}\n`;
}

/** Writes `WhatsApp Chat with Dana Whitfield.zip` into `dir` and returns its path. */
export async function writeWhatsAppZip(dir: string, chatter = 400): Promise<string> {
  const file = path.join(dir, `WhatsApp Chat with ${CONTACT}.zip`);
  const zip = new yazl.ZipFile();
  zip.addBuffer(Buffer.from(chatText(chatter)), `WhatsApp Chat with ${CONTACT}.txt`, { mtime: new Date(Date.UTC(2024, 3, 1)) });
  // A photo: diagonal bands, so it is plainly an image when shown inline.
  zip.addBuffer(makeJpeg(320, 200, (bx, by) => 60 + ((bx + by) % 6) * 30), `${PHOTO}`, { mtime: new Date(Date.UTC(2024, 2, 4)) });
  zip.end();
  await new Promise<void>((resolve, reject) => {
    zip.outputStream.pipe(fs.createWriteStream(file)).on('close', () => resolve()).on('error', reject);
  });
  return file;
}
