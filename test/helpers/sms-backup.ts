/** Writes an "SMS Backup & Restore" XML (SMS rows and MMS with media parts) for app and server tests. */
import fs from 'node:fs';

export interface SmsRow {
  address: string;
  contact?: string;
  /** UTC ms. */
  date: number;
  body: string;
  out?: boolean;
}

export interface MmsRow {
  address: string;
  contact?: string;
  date: number;
  text?: string;
  out?: boolean;
  parts: { name: string; ct: string; data: Buffer }[];
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\n/g, '&#10;');

export function writeSmsBackup(file: string, sms: SmsRow[], mms: MmsRow[] = []): string {
  const lines = [`<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>`, `<smses count="${sms.length + mms.length}" backup_set="1" backup_date="1700000000000" type="full">`];
  for (const s of sms) {
    lines.push(
      `  <sms protocol="0" address="${esc(s.address)}" date="${s.date}" type="${s.out ? 2 : 1}" subject="null" body="${esc(s.body)}" toa="null" sc_toa="null" service_center="null" read="1" status="-1" locked="0" date_sent="${s.date}" readable_date="" contact_name="${esc(s.contact ?? '(Unknown)')}" />`,
    );
  }
  for (const m of mms) {
    lines.push(`  <mms date="${m.date}" msg_box="${m.out ? 2 : 1}" address="${esc(m.address)}" contact_name="${esc(m.contact ?? '(Unknown)')}" m_type="${m.out ? 128 : 132}" read="1" sub="null">`);
    lines.push('    <parts>');
    lines.push('      <part seq="-1" ct="application/smil" name="null" chset="null" cl="smil.xml" text="&lt;smil&gt;&lt;/smil&gt;" />');
    if (m.text !== undefined) lines.push(`      <part seq="0" ct="text/plain" name="null" chset="106" cl="null" text="${esc(m.text)}" />`);
    m.parts.forEach((p, i) => lines.push(`      <part seq="${i + 1}" ct="${esc(p.ct)}" name="${esc(p.name)}" chset="null" cl="${esc(p.name)}" data="${p.data.toString('base64')}" />`));
    lines.push('    </parts>');
    lines.push('    <addrs>');
    lines.push(`      <addr address="${esc(m.address)}" type="${m.out ? 151 : 137}" charset="106" />`);
    lines.push('    </addrs>');
    lines.push('  </mms>');
  }
  lines.push('</smses>');
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}
