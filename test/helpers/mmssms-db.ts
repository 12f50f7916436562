/**
 * Writes an Android telephony database (mmssms.db) in the provider's own schema
 * (MmsSmsDatabaseHelper: sms, pdu, addr, part, threads, canonical_addresses), with rows given by
 * the test. The database is written by SQLite itself, as the phone's would be.
 */
import Database from 'better-sqlite3-multiple-ciphers';

export const MMSSMS_SCHEMA = `
  CREATE TABLE android_metadata (locale TEXT);
  CREATE TABLE sms (_id INTEGER PRIMARY KEY, thread_id INTEGER, address TEXT, person INTEGER, date INTEGER, date_sent INTEGER DEFAULT 0,
    protocol INTEGER, read INTEGER DEFAULT 0, status INTEGER DEFAULT -1, type INTEGER, reply_path_present INTEGER, subject TEXT, body TEXT,
    service_center TEXT, locked INTEGER DEFAULT 0, sub_id INTEGER DEFAULT -1, error_code INTEGER DEFAULT 0, creator TEXT, seen INTEGER DEFAULT 0);
  CREATE TABLE pdu (_id INTEGER PRIMARY KEY AUTOINCREMENT, thread_id INTEGER, date INTEGER, date_sent INTEGER DEFAULT 0, msg_box INTEGER,
    read INTEGER DEFAULT 0, m_id TEXT, sub TEXT, sub_cs INTEGER, ct_t TEXT, ct_l TEXT, exp INTEGER, m_cls TEXT, m_type INTEGER, v INTEGER,
    m_size INTEGER, pri INTEGER, rr INTEGER, rpt_a INTEGER, resp_st INTEGER, st INTEGER, tr_id TEXT, retr_st INTEGER, retr_txt TEXT,
    retr_txt_cs INTEGER, read_status INTEGER, ct_cls INTEGER, resp_txt TEXT, d_tm INTEGER, d_rpt INTEGER, locked INTEGER DEFAULT 0,
    sub_id INTEGER DEFAULT -1, seen INTEGER DEFAULT 0, creator TEXT, text_only INTEGER DEFAULT 0);
  CREATE TABLE addr (_id INTEGER PRIMARY KEY, msg_id INTEGER, contact_id INTEGER, address TEXT, type INTEGER, charset INTEGER);
  CREATE TABLE part (_id INTEGER PRIMARY KEY AUTOINCREMENT, mid INTEGER, seq INTEGER DEFAULT 0, ct TEXT, name TEXT, chset INTEGER, cd TEXT,
    fn TEXT, cid TEXT, cl TEXT, ctt_s INTEGER, ctt_t TEXT, _data TEXT, text TEXT);
  CREATE TABLE threads (_id INTEGER PRIMARY KEY AUTOINCREMENT, date INTEGER DEFAULT 0, message_count INTEGER DEFAULT 0, recipient_ids TEXT,
    snippet TEXT, snippet_cs INTEGER DEFAULT 0, read INTEGER DEFAULT 1, archived INTEGER DEFAULT 0, type INTEGER DEFAULT 0,
    error INTEGER DEFAULT 0, has_attachment INTEGER DEFAULT 0);
  CREATE TABLE canonical_addresses (_id INTEGER PRIMARY KEY AUTOINCREMENT, address TEXT);
  CREATE INDEX typeThreadIdIndex ON sms (type, thread_id);
  INSERT INTO android_metadata VALUES ('en_GB');
`;

export interface SmsRow { id: number; thread: number; address: string | null; date: number; type: number; body: string | null; dateSent?: number }
export interface PartRow { ct: string; text?: string; data?: string; cl?: string; name?: string; seq?: number }
export interface MmsRow {
  id: number; thread: number; date: number; box: number; mType?: number; sub?: string; subCs?: number;
  /** [address, type (137 from, 151 to, 130 cc)] */
  addrs: [string, number][];
  parts: PartRow[];
}
export interface MmsSmsContent {
  /** canonical_addresses ids → addresses, and threads → their canonical ids. */
  addresses: Record<number, string>;
  threads: Record<number, number[]>;
  sms: SmsRow[];
  mms: MmsRow[];
}

export function writeMmsSmsDb(file: string, c: MmsSmsContent): void {
  const db = new Database(file);
  try {
    db.exec(MMSSMS_SCHEMA);
    const canon = db.prepare('INSERT INTO canonical_addresses (_id, address) VALUES (?, ?)');
    for (const [id, a] of Object.entries(c.addresses)) canon.run(Number(id), a);
    const thread = db.prepare('INSERT INTO threads (_id, recipient_ids) VALUES (?, ?)');
    for (const [id, ids] of Object.entries(c.threads)) thread.run(Number(id), ids.join(' '));
    const sms = db.prepare('INSERT INTO sms (_id, thread_id, address, date, date_sent, type, body, read, seen) VALUES (?, ?, ?, ?, ?, ?, ?, 1, 1)');
    for (const s of c.sms) sms.run(s.id, s.thread, s.address, s.date, s.dateSent ?? 0, s.type, s.body);
    const pdu = db.prepare('INSERT INTO pdu (_id, thread_id, date, msg_box, m_type, sub, sub_cs, ct_t, v) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 18)');
    const addr = db.prepare('INSERT INTO addr (msg_id, address, type, charset) VALUES (?, ?, ?, 106)');
    const part = db.prepare('INSERT INTO part (mid, seq, ct, name, chset, cl, _data, text) VALUES (?, ?, ?, ?, 106, ?, ?, ?)');
    for (const m of c.mms) {
      pdu.run(m.id, m.thread, m.date, m.box, m.mType ?? (m.box === 1 ? 132 : 128), m.sub ?? null, m.subCs ?? null, 'application/vnd.wap.multipart.related');
      for (const [a, t] of m.addrs) addr.run(m.id, a, t);
      m.parts.forEach((p, i) => part.run(m.id, p.seq ?? i - 1, p.ct, p.name ?? null, p.cl ?? null, p.data ?? null, p.text ?? null));
    }
  } finally {
    db.close();
  }
}
