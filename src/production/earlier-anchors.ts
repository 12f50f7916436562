/**
 * The anchors the app checks by itself: each earlier production's manifest.json, read from its
 * folder on disk (outside the case, so a rebuilt chain cannot have rewritten it), against the chain.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { AnchorCheckDTO } from '../api/dto.ts';
import { checkAnchors, parseAnchor } from '../case/anchors.ts';
import type { CaseData } from '../case/data/interface.ts';

export function checkEarlierProductions(data: CaseData): AnchorCheckDTO[] {
  return data.read.productions.complete().map((p) => {
    const manifest = path.join(p.out_dir, 'manifest.json');
    const base = { productionId: p.id, name: p.name, manifest };
    if (!fs.existsSync(manifest)) return { ...base, status: 'unavailable', seq: null, message: 'The production folder is not where it was written.' };
    let anchor;
    try {
      anchor = parseAnchor(manifest);
    } catch (err) {
      return { ...base, status: 'unavailable', seq: null, message: err instanceof Error ? err.message : String(err) };
    }
    const problems = checkAnchors(data, [anchor]);
    return problems.length
      ? { ...base, status: 'broken', seq: anchor.seq, message: problems[0]!.message }
      : { ...base, status: 'holds', seq: anchor.seq, message: `The chain still holds entry ${anchor.seq} as this production recorded it.` };
  });
}
