/**
 * External anchors for the audit chain. Anyone with the passphrase can rewrite the chain and
 * recompute every hash inside the file; what they cannot rewrite is a head (sequence number and
 * hash) that left the file earlier — written into a production's manifest, sent to someone, or
 * noted down. `checkAnchors` tells whether the chain still holds each such entry at its sequence.
 */
import fs from 'node:fs';
import { HoldfastError } from '../api/errors.ts';
import type { VerifyProblemDTO } from '../api/dto.ts';

import type { AuditHead } from '../api/dto.ts';
import type { CaseData } from './data/interface.ts';

export interface Anchor {
  seq: number;
  hash: string;
  /** Where the anchor came from (a manifest path or the SEQ:HASH text). */
  source: string;
}

/** The newest entry of the chain (every case has at least its `case.create` entry). */
export function auditHead(data: CaseData): AuditHead {
  const row = data.read.auditAnchors.head();
  if (!row) return { seq: 0, hash: '0'.repeat(64), at: new Date(0).toISOString() };
  return { seq: row.seq, hash: row.hash, at: new Date(row.at).toISOString() };
}

const SEQ_HASH = /^(\d{1,15}):([0-9a-f]{64})$/i;

/** `SEQ:HASH`, or the path of a production's manifest.json (its `auditHead`). */
export function parseAnchor(value: string): Anchor {
  const m = SEQ_HASH.exec(value.trim());
  if (m) return { seq: Number(m[1]), hash: m[2]!.toLowerCase(), source: value.trim() };
  if (!fs.existsSync(value)) {
    throw new HoldfastError('VALIDATION', `The anchor "${value}" is neither SEQ:HASH (a sequence number, a colon and 64 hex digits) nor an existing manifest.json.`, { file: value });
  }
  let head: unknown;
  try {
    head = (JSON.parse(fs.readFileSync(value, 'utf8')) as { auditHead?: unknown }).auditHead;
  } catch (err) {
    throw new HoldfastError('VALIDATION', `${value} is not a production manifest (not JSON).`, { file: value }, { cause: err });
  }
  const h = head as Partial<AuditHead> | undefined;
  if (!h || !Number.isSafeInteger(h.seq) || typeof h.hash !== 'string' || !/^[0-9a-f]{64}$/i.test(h.hash)) {
    throw new HoldfastError('VALIDATION', `${value} carries no audit head (auditHead with seq and hash); it was written by an older Holdfast or is not a manifest.`, { file: value, position: 'auditHead' });
  }
  return { seq: h.seq!, hash: h.hash.toLowerCase(), source: value };
}

/** Each anchor the chain no longer holds, as a verify problem naming where the anchor came from. */
export function checkAnchors(data: CaseData, anchors: readonly Anchor[]): VerifyProblemDTO[] {
  const problems: VerifyProblemDTO[] = [];
  const read = data.read.auditAnchors;
  for (const a of anchors) {
    const hash = read.hashAt(a.seq);
    if (hash === undefined) {
      problems.push({ table: 'audit_log', id: a.seq, field: 'anchor', message: `the anchor from ${a.source} names entry ${a.seq}, which the chain no longer has: entries were removed` });
    } else if (hash !== a.hash) {
      problems.push({ table: 'audit_log', id: a.seq, field: 'anchor', message: `entry ${a.seq} hashes to ${hash.slice(0, 12)}…, but ${a.source} recorded ${a.hash.slice(0, 12)}…: the chain was rewritten after that anchor was taken` });
    }
  }
  return problems;
}
