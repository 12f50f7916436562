/**
 * Paths a caller of the matter server names are paths on the server: they must lie inside the folder
 * the server was started with for that purpose (relative paths are read from there; a symbolic link
 * out of it is refused too). Without that folder the server reads or writes nothing of the kind.
 */
import fs from 'node:fs';
import path from 'node:path';
import { HoldfastError } from '../api/errors.ts';

const PURPOSES = {
  output: { flag: '--output-root', none: 'writes no files', folder: 'output folder' },
  import: { flag: '--import-root', none: 'imports no sources', folder: 'import folder' },
} as const;

export function insideServerRoot(root: string | undefined, requested: string, purpose: keyof typeof PURPOSES): string {
  const p = PURPOSES[purpose];
  if (!root) throw new HoldfastError('VALIDATION', `This server ${p.none}: it was started without ${p.flag}.`, { path: requested });
  const realRoot = fs.realpathSync(root);
  const target = path.resolve(realRoot, requested);
  // The nearest folder that exists decides where the path really leads.
  let existing = target;
  while (!fs.existsSync(existing) && path.dirname(existing) !== existing) existing = path.dirname(existing);
  const real = path.join(fs.realpathSync(existing), path.relative(existing, target));
  const inside = path.relative(realRoot, real);
  if (inside === '' || inside.startsWith('..') || path.isAbsolute(inside)) {
    throw new HoldfastError('VALIDATION', `${requested} is outside the server's ${p.folder}; give a path inside ${root}.`, { path: requested, [`${purpose}Root`]: root });
  }
  return real;
}
