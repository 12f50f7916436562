/**
 * `serve` in a checkout builds the browser UI itself when it is missing or older than its sources,
 * so a fresh clone needs no `npm run build` first. The bundler (esbuild, a dev dependency) is
 * loaded only then; without it the API is served alone, with a message saying why.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** What the UI bundle is built from. */
const SOURCES = ['renderer', 'src/api'].map((d) => path.join(ROOT, d));

function newestSource(dir: string): number {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestSource(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

/** Whether `dir` holds a UI at least as new as the sources (true when there are no sources: an installed copy). */
export function uiIsCurrent(dir: string): boolean {
  const index = path.join(dir, 'index.html');
  if (!fs.existsSync(index)) return false;
  if (!SOURCES.every((s) => fs.existsSync(s))) return true;
  return fs.statSync(index).mtimeMs >= Math.max(...SOURCES.map(newestSource));
}

/** Builds the UI into `dir` when needed; returns a line for stderr saying what happened (or why it could not). */
export async function ensureUi(dir: string): Promise<string | null> {
  if (uiIsCurrent(dir)) return null;
  if (!SOURCES.every((s) => fs.existsSync(s))) return 'holdfast: the UI is not built (run "npm run build"); serving the API only.\n';
  try {
    const bundles = (await import(pathToFileURL(path.join(ROOT, 'scripts/bundles.ts')).href)) as { buildRenderer(out: string): Promise<void> };
    await bundles.buildRenderer(dir);
    return `holdfast: built the UI into ${dir}.\n`;
  } catch (err) {
    return `holdfast: the UI could not be built (${err instanceof Error ? err.message : String(err)}); run "npm install" and "npm run build". Serving the API only.\n`;
  }
}
