/** Names of WhatsApp accounts from `wa.db` (`wa_contacts`, `wa_vnames`), when it is beside msgstore.db. */
import type { MemoryDb } from '../sqlite/memory-db.ts';
import { SchemaProbe } from '../sqlite/memory-db.ts';
import { parseJid } from '../whatsapp-db/jid.ts';

/** Bare JID → the best name known: the address-book name, else the verified business name, else the profile name. */
export type ContactNames = Map<string, string>;

export function readContactNames(db: MemoryDb): ContactNames {
  const names: ContactNames = new Map();
  const probe = new SchemaProbe(db);
  if (probe.has('wa_vnames', 'jid') && probe.has('wa_vnames', 'verified_name')) {
    for (const r of db.prepare('SELECT jid, verified_name FROM wa_vnames').all() as { jid: string | null; verified_name: string | null }[]) {
      const jid = r.jid && parseJid(r.jid)?.bare;
      if (jid && r.verified_name?.trim()) names.set(jid, r.verified_name.trim());
    }
  }
  if (probe.has('wa_contacts', 'jid')) {
    const sql = `SELECT jid, ${probe.pick('wa_contacts', 'c', 'display_name')}, ${probe.pick('wa_contacts', 'c', 'wa_name')} FROM wa_contacts c`;
    for (const r of db.prepare(sql).all() as { jid: string | null; display_name: string | null; wa_name: string | null }[]) {
      const jid = r.jid && parseJid(r.jid)?.bare;
      if (!jid) continue;
      const name = r.display_name?.trim() || (names.has(jid) ? undefined : r.wa_name?.trim());
      if (name) names.set(jid, name);
    }
  }
  return names;
}
