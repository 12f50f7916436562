/**
 * Seeded message databases in their real schemas for the import benchmark (import-sources.ts): an
 * iMessage chat.db (the modern macOS schema, copied from the real fixture) and a WhatsApp for
 * Android msgstore.db (the current schema, from the chat-history-manager dump the tests load). Each
 * holds N messages over direct and group chats among a few dozen handles, with the text corpus's
 * mixed scripts; about one message in fifty is a reaction (a tapback; a message_add_on), and in the
 * msgstore one in a hundred is a photo whose file is not beside the database. The tables the
 * fixture's dump lacks (reactions, group members) are added as WhatsApp defines them.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { modernChatDb, ns } from '../helpers/imessage-db.ts';
import { FIX } from '../helpers/whatsapp-android-db.ts';
import { rng } from '../helpers/generate.ts';
import { COMMON, RARE, START } from './corpus.ts';

const OTHER = ['Ångström', 'café', 'Zürich', 'Straße', 'привет', 'сделка', 'деньги', 'مرحبا', 'صفقة', 'שלום', 'עסקה', '価格を確認してください', '会議', '거래를', '👍', '🚀'];
const HANDLES = 40;
const CHATS = 30;
/** Chats from this index on are groups (the rest are one-to-one with handle i). */
const FIRST_GROUP = 20;

function text(r: () => number): string {
  const words: string[] = [];
  const n = 3 + Math.floor(r() * 14);
  for (let k = 0; k < n; k++) {
    const x = r();
    const list = x < 0.6 ? COMMON : x < 0.66 ? RARE : OTHER;
    words.push(list[Math.floor(r() * list.length)]!);
  }
  return words.join(' ');
}

const phone = (i: number) => `+4477009${String(10000 + i).slice(1)}`;

/** The handle (index) a message of chat `c` is from, when not from the owner. */
const senderOf = (r: () => number, c: number) => (c < FIRST_GROUP ? c : (c * 7 + Math.floor(r() * 8)) % HANDLES);

/** A chat.db with `n` message rows (messages and tapbacks), written in one transaction. */
export function writeChatDb(file: string, n: number, seed = 11): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.rmSync(file, { force: true });
  const db = modernChatDb(file);
  const r = rng(seed);
  db.transaction(() => {
    const handle = db.prepare("INSERT INTO handle (id, service, country, uncanonicalized_id) VALUES (?, 'iMessage', 'gb', ?)");
    for (let h = 0; h < HANDLES; h++) handle.run(phone(h), phone(h));
    const chat = db.prepare("INSERT INTO chat (guid, style, chat_identifier, service_name, display_name, account_login) VALUES (?, ?, ?, 'iMessage', ?, 'E:owner@example.com')");
    const member = db.prepare('INSERT INTO chat_handle_join (chat_id, handle_id) VALUES (?, ?)');
    for (let c = 0; c < CHATS; c++) {
      const group = c >= FIRST_GROUP;
      const id = group ? `chat${100000 + c}` : phone(c);
      chat.run(`iMessage;${group ? '+' : '-'};${id}`, group ? 43 : 45, id, group ? `Desk ${c}` : '');
      if (group) for (let k = 0; k < 8; k++) member.run(c + 1, ((c * 7 + k) % HANDLES) + 1);
      else member.run(c + 1, c + 1);
    }
    const message = db.prepare(
      `INSERT INTO message (guid, text, handle_id, service, account, is_from_me, date, date_read, date_delivered, is_finished, is_sent, associated_message_guid, associated_message_type)
       VALUES (?, ?, ?, 'iMessage', 'E:owner@example.com', ?, ?, 0, 0, 1, ?, ?, ?)`,
    );
    const inChat = db.prepare('INSERT INTO chat_message_join (chat_id, message_id, message_date) VALUES (?, ?, ?)');
    const lastGuid: string[] = [];
    let t = START / 1000 - 978_307_200;
    for (let i = 0; i < n; i++) {
      t += Math.floor(r() * 40);
      const c = Math.floor(r() * CHATS);
      const fromMe = r() < 0.3;
      const handleId = fromMe ? 0 : senderOf(r, c) + 1;
      const guid = `BENCH-${String(i).padStart(9, '0')}`;
      const date = ns(t);
      const tapback = r() < 0.02 && lastGuid[c];
      const row = tapback
        ? message.run(guid, null, handleId, fromMe ? 1 : 0, date, fromMe ? 1 : 0, `p:0/${lastGuid[c]}`, 2000 + Math.floor(r() * 6))
        : message.run(guid, text(r), handleId, fromMe ? 1 : 0, date, fromMe ? 1 : 0, null, 0);
      inChat.run(c + 1, Number(row.lastInsertRowid), date);
      if (!tapback) lastGuid[c] = guid;
    }
  })();
  db.close();
}

/** A msgstore.db (current schema, without the fixture's rows) with `n` messages, in one transaction. */
export function writeMsgstore(file: string, n: number, seed = 13): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.rmSync(file, { force: true });
  const db = new Database(file);
  db.exec(fs.readFileSync(path.join(FIX, 'msgstore.sql'), 'utf8'));
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().all() as string[];
  for (const t of tables) db.exec(`DELETE FROM "${t}"`);
  db.exec(`
    CREATE TABLE message_add_on (_id INTEGER PRIMARY KEY AUTOINCREMENT, chat_row_id INTEGER NOT NULL, from_me INTEGER NOT NULL,
      key_id TEXT NOT NULL, sender_jid_row_id INTEGER, parent_message_row_id INTEGER, timestamp INTEGER, message_add_on_type INTEGER);
    CREATE TABLE message_add_on_reaction (message_add_on_row_id INTEGER PRIMARY KEY, reaction TEXT, sender_timestamp INTEGER);
    CREATE TABLE group_participant_user (_id INTEGER PRIMARY KEY AUTOINCREMENT, group_jid_row_id INTEGER NOT NULL, user_jid_row_id INTEGER NOT NULL,
      rank INTEGER, pending INTEGER, add_timestamp INTEGER, label TEXT);
  `);
  const r = rng(seed);
  db.transaction(() => {
    const jid = db.prepare('INSERT INTO jid (_id, user, server, agent, device, type, raw_string) VALUES (?, ?, ?, 0, 0, ?, ?)');
    // Handles are jid rows 1..HANDLES; group jids follow.
    for (let h = 0; h < HANDLES; h++) {
      const user = phone(h).slice(1);
      jid.run(h + 1, user, 's.whatsapp.net', 0, `${user}@s.whatsapp.net`);
    }
    const chat = db.prepare('INSERT INTO chat (_id, jid_row_id, hidden, subject, created_timestamp) VALUES (?, ?, 0, ?, ?)');
    const groupMember = db.prepare('INSERT INTO group_participant_user (group_jid_row_id, user_jid_row_id, rank, pending) VALUES (?, ?, 0, 0)');
    for (let c = 0; c < CHATS; c++) {
      if (c < FIRST_GROUP) {
        chat.run(c + 1, c + 1, null, START);
        continue;
      }
      const g = HANDLES + c + 1;
      const user = `447700900000-16${String(c).padStart(8, '0')}`;
      jid.run(g, user, 'g.us', 1, `${user}@g.us`);
      chat.run(c + 1, g, `Desk ${c}`, START);
      for (let k = 0; k < 8; k++) groupMember.run(g, ((c * 7 + k) % HANDLES) + 1);
    }
    const message = db.prepare(
      `INSERT INTO message (_id, chat_row_id, from_me, key_id, sender_jid_row_id, status, timestamp, received_timestamp, message_type, text_data, sort_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const media = db.prepare("INSERT INTO message_media (message_row_id, chat_row_id, file_path, file_size, mime_type) VALUES (?, ?, ?, ?, 'image/jpeg')");
    const addOn = db.prepare('INSERT INTO message_add_on (chat_row_id, from_me, key_id, sender_jid_row_id, parent_message_row_id, timestamp, message_add_on_type) VALUES (?, ?, ?, ?, ?, ?, 56)');
    const reaction = db.prepare('INSERT INTO message_add_on_reaction (message_add_on_row_id, reaction, sender_timestamp) VALUES (?, ?, ?)');
    const last: number[] = [];
    let t = START;
    for (let i = 1; i <= n; i++) {
      t += 1_000 * Math.floor(r() * 40);
      const c = Math.floor(r() * CHATS);
      const fromMe = r() < 0.3 ? 1 : 0;
      // In a one-to-one chat the sender is the chat's jid (no sender row); in a group, the member.
      const sender = fromMe || c < FIRST_GROUP ? null : senderOf(r, c) + 1;
      if (r() < 0.02 && last[c]) {
        const row = addOn.run(c + 1, fromMe, `R${i}`, sender, last[c], t);
        reaction.run(Number(row.lastInsertRowid), ['👍', '❤️', '😂', '🙏'][Math.floor(r() * 4)], t);
        continue;
      }
      const photo = r() < 0.01;
      message.run(i, c + 1, fromMe, `BENCH${String(i).padStart(9, '0')}`, sender, fromMe ? 13 : 0, t, t + 500, photo ? 1 : 0, photo ? null : text(r), i);
      if (photo) media.run(i, c + 1, `Media/WhatsApp Images/IMG-${i}-WA0001.jpg`, 40_000 + Math.floor(r() * 200_000));
      last[c] = i;
    }
  })();
  db.close();
}
