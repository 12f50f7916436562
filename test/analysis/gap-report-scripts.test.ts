/**
 * The findings report's PDF in every script: a conversation named in Arabic and emoji, another in
 * Chinese, Cyrillic and Hebrew, each with a cluster of deletions among messages in Arabic, Hebrew,
 * Chinese, Japanese, Korean, Cyrillic, Devanagari, Thai and emoji. pdftotext reads every name and
 * text back, and each script's face is embedded as a subset with a Unicode map.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { cli, tempDir } from '../helpers/case.ts';
import { writeExport } from '../review/corpus.ts';
import type { Line } from '../review/corpus.ts';
import { createCaseFile, importFile } from '../review/helpers.ts';
import { pdffonts, pdftotext } from '../production/read-back.ts';

const TEXTS = ['مرحبا، هل وصلت الشحنة؟', 'שלום, החוזה מוכן', '价格已经确认', '会議は明日です', '거래를 확인했습니다', 'Привет, сделка готова', 'नमस्ते, अनुबंध तैयार है', 'สวัสดี สัญญาพร้อมแล้ว', 'Done 👍🚀'];
const NAMES = ['صفقة الميناء 🚢', '合同 Сделка שלום'];

test('the findings PDF renders conversation names and evidence in any script, and emoji', async () => {
  const dir = tempDir();
  const caseFile = createCaseFile(dir);
  const start = Date.UTC(2024, 4, 6, 9);
  for (const [k, name] of NAMES.entries()) {
    const lines: Line[] = TEXTS.map((text, i) => ({ at: start + k * 86_400_000 + i * 600_000, author: i % 2 ? 'Noa Levi' : 'Omar Haddad', text }));
    lines.splice(4, 0, ...[0, 1].map((m) => ({ at: lines[3]!.at + (m + 1) * 60_000, author: 'Omar Haddad', text: 'This message was deleted' })));
    const sub = path.join(dir, String(k));
    fs.mkdirSync(sub);
    await importFile(caseFile, writeExport(sub, name, lines), 'Omar');
  }
  const out = path.join(dir, 'findings.pdf');
  const written = cli(['gaps', caseFile, '--report', out, '--around', '5']);
  assert.equal(written.status, 0, written.stderr);

  const text = pdftotext(out);
  for (const needle of [...NAMES.flatMap((n) => n.split(' ')), ...TEXTS.flatMap((t) => t.split(/[ ،,]+/))]) assert.ok(text.includes(needle), `"${needle}" is in the report's text`);
  const fonts = pdffonts(out);
  assert.ok(fonts.every((f) => f.embedded && f.subset && f.unicode));
  const names = new Set(fonts.map((f) => f.name.replace(/^[A-Z]+\+/, '')));
  for (const family of ['NotoSans-Regular', 'NotoSans-Bold', 'NotoSansArabic-Regular', 'NotoSansHebrew-Regular', 'NotoSansDevanagari-Regular', 'NotoSansThai-Regular', 'NotoEmoji-Regular']) {
    assert.ok(names.has(family), `${family} is used`);
  }
  assert.ok([...names].some((n) => n.startsWith('NotoSansCJK')), 'a CJK face is used');
});
