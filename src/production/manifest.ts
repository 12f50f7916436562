/**
 * The manifest: what was produced — name, matter, counts, Bates range and every output file with
 * its SHA-256. It is written as manifest.json beside the files and stored in the case with its own
 * hash, so both the folder (recompute the files' hashes) and the case record (`verify`) can be
 * checked later. It is handed over with the production, so it holds no work product: not the
 * selection (query, tags, conversation ids) nor any definition hash; those stay in the case
 * (`productions.definition` and the audit log). With a fixed document date it holds nothing that
 * changes between two runs of the same definition.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { VerifyProblemDTO } from '../api/dto.ts';
import type { AuditHead } from '../api/dto.ts';
import { APP_VERSION } from '../version.ts';
import type { WrittenFile } from './output.ts';
import { verifySignedProduction } from './signature.ts';
import type { CaseData } from '../case/data/interface.ts';

export interface Manifest {
  generator: string;
  name: string;
  matter: string;
  format: string;
  /** The date in the files' metadata; `fixed` when the producer gave it for reproducible output. */
  documentDate: { value: string; fixed: boolean };
  messages: number;
  contextMessages: number;
  /** Withheld messages, each with a slip sheet and a privilege-log row under its own Bates number. */
  withheld: number;
  attachments: number;
  bates: { prefix: string; width: number; first: string | null; last: string | null };
  files: WrittenFile[];
  /** The audit chain's newest entry when the production was made: an anchor outside the case (src/case/anchors.ts). */
  auditHead?: AuditHead;
}

export function buildManifest(input: Omit<Manifest, 'generator'>): { json: Buffer; sha256: string; manifest: Manifest } {
  const manifest: Manifest = { generator: `Holdfast ${APP_VERSION}`, ...input };
  const json = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
  return { json, sha256: createHash('sha256').update(json).digest('hex'), manifest };
}

/**
 * For `verify`: every complete production's stored manifest still hashes to its recorded hash,
 * and agrees with the production's items (count, Bates range, files).
 */
export function productionManifestCheck(data: CaseData): { checked: number; problems: VerifyProblemDTO[] } {
  const problems: VerifyProblemDTO[] = [];
  let checked = 0;
  const productions = data.read.productions;
  for (const p of productions.completeManifests()) {
    checked++;
    if (p.manifest === null || p.manifest_sha256 === null) {
      problems.push({ table: 'productions', id: p.id, field: 'manifest', message: `production ${p.id} is complete but has no manifest` });
      continue;
    }
    const actual = createHash('sha256').update(p.manifest, 'utf8').digest('hex');
    if (actual !== p.manifest_sha256) {
      problems.push({ table: 'productions', id: p.id, field: 'manifest', message: `production ${p.id}'s manifest was changed after it was written (hashes to ${actual.slice(0, 12)}…)` });
      continue;
    }
    let m: Manifest;
    try {
      m = JSON.parse(p.manifest) as Manifest;
    } catch {
      problems.push({ table: 'productions', id: p.id, field: 'manifest', message: `production ${p.id}'s manifest is not JSON` });
      continue;
    }
    const items = productions.itemTotals(p.id);
    if (items.w !== (m.withheld ?? 0)) {
      problems.push({ table: 'production_items', id: p.id, field: 'withheld', message: `production ${p.id} lists ${items.w} withheld messages; its manifest says ${m.withheld ?? 0}` });
    }
    if (items.n !== m.messages) {
      problems.push({ table: 'production_items', id: p.id, field: 'message_id', message: `production ${p.id} lists ${items.n} messages; its manifest says ${m.messages}` });
    }
    if ((items.ctx ?? 0) !== m.contextMessages) {
      problems.push({ table: 'production_items', id: p.id, field: 'context', message: `production ${p.id} marks ${items.ctx ?? 0} context messages; its manifest says ${m.contextMessages}` });
    }
    if (p.bates_first !== m.bates.first || p.bates_last !== m.bates.last) {
      problems.push({ table: 'productions', id: p.id, field: 'bates_first', message: `production ${p.id}'s Bates range ${p.bates_first}–${p.bates_last} differs from its manifest (${m.bates.first}–${m.bates.last})` });
    }
    const files = new Set(m.files.map((f) => f.path));
    for (const f of productions.itemFiles(p.id)) {
      if (!files.has(f)) problems.push({ table: 'production_items', id: p.id, field: 'file', message: `production ${p.id} places a message in ${f}, which its manifest does not list` });
    }
  }
  return { checked, problems };
}

/** Checks a production folder (signature, every file's hash) and that its manifest.json is the one recorded in the case. */
export async function verifyProductionFolder(dir: string, expectedManifestSha256?: string): Promise<{ ok: boolean; checked: number; problems: string[] }> {
  const r = await verifySignedProduction(dir);
  const problems = [...r.problems];
  const manifestPath = path.join(dir, 'manifest.json');
  if (expectedManifestSha256 && fs.existsSync(manifestPath) && createHash('sha256').update(fs.readFileSync(manifestPath)).digest('hex') !== expectedManifestSha256) {
    problems.push('manifest.json differs from the manifest recorded in the case');
  }
  return { ok: problems.length === 0, checked: r.checked, problems };
}
