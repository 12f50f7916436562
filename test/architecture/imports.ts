/** The import statements of the project's sources, resolved to files: what the architecture tests check. */
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../helpers/case.ts';

export interface Import {
  file: string;
  spec: string;
  typeOnly: boolean;
  /** The file it resolves to, for relative imports. */
  target: string | null;
}

export function files(dir: string, ext = /\.(ts|tsx)$/): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })) {
    if (e.isFile() && ext.test(e.name)) out.push(path.relative(ROOT, path.join(e.parentPath, e.name)));
  }
  return out;
}

export function imports(file: string): Import[] {
  const code = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const out: Import[] = [];
  const re = /^\s*(import|export)\s+(type\s+)?([^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm;
  for (const m of code.matchAll(re)) {
    const spec = m[4]!;
    const typeOnly = !!m[2];
    out.push({ file, spec, typeOnly, target: spec.startsWith('.') ? path.relative(ROOT, path.resolve(ROOT, path.dirname(file), spec)) : null });
  }
  for (const m of code.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push({ file, spec: m[1]!, typeOnly: false, target: m[1]!.startsWith('.') ? path.relative(ROOT, path.resolve(ROOT, path.dirname(file), m[1]!)) : null });
  return out;
}
