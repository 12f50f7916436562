/**
 * The signature beside a production's manifest: `manifest.sig`, the case key's Ed25519 signature over
 * the exact bytes of manifest.json (which lists every file's SHA-256, the Bates range and the audit
 * head), with the public key and its fingerprint. `verifySignedProduction` checks a folder with no
 * case and no passphrase: the signature, then every file against the manifest. The recipient compares
 * the printed fingerprint with the one the producing party gave them (`holdfast info`).
 */
import { createHash, verify } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { AuditHead } from '../api/dto.ts';
import { fingerprintOf, publicKeyFromRaw, signWithCaseKey } from '../case/signing-key.ts';
import type { Manifest } from './manifest.ts';
import { hashFile } from './output.ts';
import type { CaseData } from '../case/data/interface.ts';

export const MANIFEST_FILE = 'manifest.json';
export const SIGNATURE_FILE = 'manifest.sig';
const FORMAT = 'holdfast-manifest-signature/1';

interface SignatureFile {
  format: string;
  signs: string;
  manifestSha256: string;
  algorithm: 'Ed25519';
  publicKey: string;
  fingerprint: string;
  signature: string;
}

/** manifest.sig for these manifest bytes, or null when the case has no signing key. */
export function signManifest(data: CaseData, manifest: Buffer): Buffer | null {
  const signed = signWithCaseKey(data, manifest);
  if (!signed) return null;
  const file: SignatureFile = {
    format: FORMAT, signs: MANIFEST_FILE, manifestSha256: createHash('sha256').update(manifest).digest('hex'),
    algorithm: 'Ed25519', publicKey: signed.key.publicKey, fingerprint: signed.key.fingerprint, signature: signed.signature.toString('base64'),
  };
  return Buffer.from(`${JSON.stringify(file, null, 2)}\n`, 'utf8');
}

export interface ProductionCheckDTO {
  ok: boolean;
  checked: number;
  /** The fingerprint of the key that signed the manifest (null when unsigned or unreadable). */
  fingerprint: string | null;
  publicKey: string | null;
  auditHead: AuditHead | null;
  bates: { first: string | null; last: string | null } | null;
  problems: string[];
}

/** Checks a production folder on its own: signature over manifest.json, then every listed file's SHA-256 and size. */
export async function verifySignedProduction(dir: string): Promise<ProductionCheckDTO> {
  const result: ProductionCheckDTO = { ok: false, checked: 0, fingerprint: null, publicKey: null, auditHead: null, bates: null, problems: [] };
  const manifestPath = path.join(dir, MANIFEST_FILE);
  if (!fs.existsSync(manifestPath)) return { ...result, problems: [`${manifestPath} is missing`] };
  const raw = fs.readFileSync(manifestPath);
  result.checked++;
  checkSignature(dir, raw, result);
  let manifest: Manifest;
  try {
    manifest = JSON.parse(raw.toString('utf8')) as Manifest;
    if (!Array.isArray(manifest.files)) throw new Error('no files');
  } catch {
    result.problems.push(`${MANIFEST_FILE} is not a production manifest`);
    return result;
  }
  result.auditHead = manifest.auditHead ?? null;
  result.bates = manifest.bates ? { first: manifest.bates.first, last: manifest.bates.last } : null;
  const listed = new Set<string>([MANIFEST_FILE, SIGNATURE_FILE]);
  for (const f of manifest.files) {
    result.checked++;
    listed.add(f.path);
    const abs = path.join(dir, ...f.path.split('/'));
    if (f.path.split('/').includes('..') || !fs.existsSync(abs)) {
      result.problems.push(`${f.path} is missing`);
      continue;
    }
    const actual = await hashFile(abs);
    if (actual.sha256 !== f.sha256) result.problems.push(`${f.path} was changed (SHA-256 ${actual.sha256.slice(0, 12)}…, manifest ${f.sha256.slice(0, 12)}…)`);
    else if (actual.size !== f.size) result.problems.push(`${f.path} has ${actual.size} bytes; the manifest says ${f.size}`);
  }
  for (const extra of listFiles(dir)) if (!listed.has(extra)) result.problems.push(`${extra} is in the folder but not in the manifest`);
  result.ok = result.problems.length === 0;
  return result;
}

function checkSignature(dir: string, manifest: Buffer, result: ProductionCheckDTO): void {
  const sigPath = path.join(dir, SIGNATURE_FILE);
  if (!fs.existsSync(sigPath)) {
    result.problems.push(`${SIGNATURE_FILE} is missing: the manifest is not signed`);
    return;
  }
  result.checked++;
  let sig: SignatureFile;
  try {
    sig = JSON.parse(fs.readFileSync(sigPath, 'utf8')) as SignatureFile;
    if (sig.format !== FORMAT || sig.algorithm !== 'Ed25519' || typeof sig.publicKey !== 'string' || typeof sig.signature !== 'string') throw new Error('shape');
  } catch {
    result.problems.push(`${SIGNATURE_FILE} is not a Holdfast manifest signature`);
    return;
  }
  const rawKey = Buffer.from(sig.publicKey, 'base64');
  if (rawKey.length !== 32) {
    result.problems.push(`${SIGNATURE_FILE} holds no Ed25519 public key`);
    return;
  }
  result.publicKey = sig.publicKey;
  result.fingerprint = fingerprintOf(rawKey);
  if (!verify(null, manifest, publicKeyFromRaw(rawKey), Buffer.from(sig.signature, 'base64'))) {
    result.problems.push(`the signature in ${SIGNATURE_FILE} does not match ${MANIFEST_FILE}: the manifest was changed after it was signed`);
  }
}

function listFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...listFiles(dir, rel));
    else out.push(rel);
  }
  return out;
}
