/**
 * The case's Ed25519 signing key: made with the case (or on the first writable open of a case from
 * before keys existed), kept inside the encrypted case file, never changed. It signs production
 * manifests, so a recipient holding the public key's fingerprint can check a production with no
 * case and no passphrase (src/production/signature.ts).
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { appendAudit } from './audit.ts';
import type { CaseData } from './data/interface.ts';

export interface SigningKeyInfo {
  algorithm: 'Ed25519';
  /** The raw 32-byte public key, base64. */
  publicKey: string;
  /** `SHA256:` and the base64 SHA-256 of the raw public key (as OpenSSH prints key fingerprints). */
  fingerprint: string;
}

// An Ed25519 SubjectPublicKeyInfo is this fixed 12-byte header followed by the 32-byte key.
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export function publicKeyFromRaw(raw: Buffer): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
}

export function fingerprintOf(raw: Buffer): string {
  return `SHA256:${createHash('sha256').update(raw).digest('base64').replace(/=+$/, '')}`;
}

/** Creates the key if the case has none yet (audited). Call on a writable connection. */
export function ensureSigningKey(data: CaseData, actor: string): void {
  if (!data.read.signingKey.supported()) return;
  data.write.transaction.immediate(() => {
    if (data.read.signingKey.present()) return;
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(SPKI_PREFIX.length);
    const fingerprint = fingerprintOf(raw);
    const now = Date.now();
    data.write.signingKey.create({ publicKey: raw, privateKey: privateKey.export({ format: 'der', type: 'pkcs8' }), fingerprint, at: now });
    appendAudit(data, actor, 'case.signing-key', { algorithm: 'Ed25519', publicKey: raw.toString('base64'), fingerprint }, now);
  });
}

export function signingKeyInfo(data: CaseData): SigningKeyInfo | null {
  const read = data.read.signingKey;
  if (!read.supported()) return null;
  const row = read.publicKey();
  return row ? { algorithm: 'Ed25519', publicKey: row.public_key.toString('base64'), fingerprint: row.fingerprint } : null;
}

/** Ed25519 signature of `payload` with the case's key, or null when the case has no key (opened read-only before it got one). */
export function signWithCaseKey(data: CaseData, payload: Buffer): { key: SigningKeyInfo; signature: Buffer } | null {
  const key = signingKeyInfo(data);
  if (!key) return null;
  const der = data.read.signingKey.privateKey();
  const signature = sign(null, payload, createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }));
  der.fill(0);
  return { key, signature };
}
