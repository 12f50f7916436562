/** Independent readers for production output: poppler's command-line tools, and plain hashing of the folder. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { ProductionResultDTO } from '../../src/production/types.ts';

export function pdftotext(file: string, page?: number): string {
  const range = page === undefined ? [] : ['-f', String(page), '-l', String(page)];
  return execFileSync('pdftotext', ['-enc', 'UTF-8', ...range, file, '-'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
}

export function pdfPages(file: string): number {
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  return Number(/^Pages:\s+(\d+)/m.exec(info)![1]);
}

export interface PdfFont {
  name: string;
  type: string;
  embedded: boolean;
  subset: boolean;
  unicode: boolean;
}

export function pdffonts(file: string): PdfFont[] {
  const lines = execFileSync('pdffonts', [file], { encoding: 'utf8' }).split('\n').slice(2).filter(Boolean);
  // Columns: name, type (may hold spaces), encoding, emb, sub, uni, object, ID — read from the right.
  return lines.map((l) => {
    const parts = l.trim().split(/\s+/);
    const [emb, sub, uni] = parts.slice(-5, -2);
    return { name: parts[0]!, type: parts.slice(1, -6).join(' '), embedded: emb === 'yes', subset: sub === 'yes', unicode: uni === 'yes' };
  });
}

export function sha256File(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** Every file under `dir`, relative, "/"-separated, sorted. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path.join(d, e.name), r);
      else out.push(r);
    }
  };
  walk(dir, '');
  return out.sort();
}

/** manifest.json lists exactly the other files of the folder, and every listed hash and size is right. */
export function checkManifest(result: ProductionResultDTO): { files: { path: string; sha256: string; firstBates: string | null; lastBates: string | null; pages?: number }[] } {
  const manifestPath = path.join(result.outDir, 'manifest.json');
  const raw = fs.readFileSync(manifestPath);
  assert.equal(createHash('sha256').update(raw).digest('hex'), result.manifestSha256, 'manifest.json hashes to the recorded manifest hash');
  const manifest = JSON.parse(raw.toString('utf8')) as ReturnType<typeof checkManifest>;
  assert.deepEqual(manifest.files.map((f) => f.path), listFiles(result.outDir).filter((f) => f !== 'manifest.json' && f !== 'manifest.sig'));
  for (const f of manifest.files) {
    const abs = path.join(result.outDir, ...f.path.split('/'));
    assert.equal(sha256File(abs), f.sha256, `hash of ${f.path}`);
  }
  return manifest;
}

/**
 * Hashes of every file in a production folder, for comparing two runs; the manifest's file list
 * stands for manifest.json and its signature, which carry the audit head (moved by every production).
 */
export function folderHashes(dir: string): Record<string, string> {
  const hashes = Object.fromEntries(listFiles(dir).filter((f) => f !== 'manifest.json' && f !== 'manifest.sig').map((f) => [f, sha256File(path.join(dir, ...f.split('/')))]));
  return { ...hashes, 'manifest.json files': JSON.stringify((JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { files: unknown }).files) };
}

/** Every text-like byte sequence a marker could hide in: the files themselves as UTF-8 and UTF-16LE. */
export function grepFolder(dir: string, marker: string): string[] {
  const needles = [Buffer.from(marker, 'utf8'), Buffer.from(marker, 'utf16le')];
  return listFiles(dir).filter((f) => {
    const data = fs.readFileSync(path.join(dir, ...f.split('/')));
    return needles.some((n) => data.includes(n));
  });
}

/**
 * Files of a production whose text contains `marker` once opened: zips (XLSX, and the rsmf.zip an
 * RSMF file carries in base64) are unpacked from their central directory, RSMF bodies decoded from
 * quoted-printable, PDFs read by pdftotext, so a compressed file cannot hide a marker the way a plain byte search would miss.
 */
export function grepOpened(dir: string, marker: string): string[] {
  return listFiles(dir).filter((f) => {
    const abs = path.join(dir, ...f.split('/'));
    return [...openedTexts(fs.readFileSync(abs)), ...(f.endsWith('.pdf') ? [pdftotext(abs)] : [])].some((t) => t.includes(marker));
  });
}

function openedTexts(data: Buffer): string[] {
  const texts = [data.toString('utf8'), data.toString('utf16le')];
  if (data.subarray(0, 4).equals(Buffer.from('PK\x03\x04', 'latin1'))) for (const entry of zipEntries(data)) texts.push(...openedTexts(entry));
  const text = texts[0]!;
  if (text.includes('X-RSMF-Version')) {
    texts.push(text.replace(/=\r\n/g, '').replace(/(?:=[0-9A-F]{2})+/g, (q) => Buffer.from(q.replace(/=/g, ''), 'hex').toString('utf8')));
    const b64 = /filename="rsmf\.zip"\r\nContent-Transfer-Encoding: base64\r\n\r\n([A-Za-z0-9+/=\r\n]+)/.exec(text);
    if (b64) texts.push(...openedTexts(Buffer.from(b64[1]!.replace(/\r\n/g, ''), 'base64')));
  }
  return texts;
}

/** The contents of a zip's entries, read by the format's rules (central directory; stored or deflated). */
function zipEntries(zip: Buffer): Buffer[] {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(eocd >= 0, 'zip end record');
  const out: Buffer[] = [];
  let p = zip.readUInt32LE(eocd + 16);
  for (let i = 0; i < zip.readUInt16LE(eocd + 10); i++) {
    assert.equal(zip.readUInt32LE(p), 0x02014b50, 'central directory entry');
    const method = zip.readUInt16LE(p + 10);
    const size = zip.readUInt32LE(p + 20);
    const local = zip.readUInt32LE(p + 42);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(start, start + size);
    out.push(method === 8 ? zlib.inflateRawSync(raw) : raw);
    p += 46 + zip.readUInt16LE(p + 28) + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32);
  }
  return out;
}
