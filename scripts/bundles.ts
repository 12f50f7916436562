/**
 * esbuild bundles: the renderer (browser, no Node), and the Electron main process, preload and job
 * worker (Electron's Node does not strip TypeScript). npm dependencies stay external in the
 * Node-side bundles (they ship in the asar; the SQLCipher module is native and unpacked).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { RENDERER_CSP } from '../src/api/wire.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const FAVICON =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#2457c5"/><path d="M9 7h4v7h6V7h4v18h-4v-7h-6v7H9z" fill="#fff"/></svg>\n';

/** A page that loads one bundle: its CSP in a meta tag as well as the header, and no inline script. */
export function htmlPage(title: string, script: string, stylesheet: string | null): string {
  // frame-ancestors is ignored (with a warning) in a meta tag; the HTTP header carries it.
  const csp = RENDERER_CSP.replace(/;\s*frame-ancestors[^;]*/, '');
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<meta name="color-scheme" content="light dark">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${title}</title>`,
    '<link rel="icon" href="favicon.svg" type="image/svg+xml">',
    ...(stylesheet ? [`<link rel="stylesheet" href="${stylesheet}">`] : []),
    `<script type="module" src="${script}"></script>`,
    '</head>',
    '<body><div id="root"></div></body>',
    '</html>',
    '',
  ].join('\n');
}

/** One browser page: `entry` bundled to `outDir/<name>.js` (+ .css) and `outDir/<name>.html` or index.html. */
export async function buildPage(opts: { entry: string; outDir: string; name: string; title: string; html?: string; minify?: boolean }): Promise<void> {
  fs.mkdirSync(opts.outDir, { recursive: true });
  const result = await esbuild.build({
    entryPoints: { [opts.name]: opts.entry },
    outdir: opts.outDir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome120'],
    jsx: 'automatic',
    minify: opts.minify ?? true,
    sourcemap: false,
    legalComments: 'none',
    define: { 'process.env.NODE_ENV': '"production"' },
    loader: { '.ttf': 'file', '.woff2': 'file' },
    assetNames: 'assets/[name]-[hash]',
    logLevel: 'silent',
    metafile: true,
  });
  fs.writeFileSync(path.join(opts.outDir, 'favicon.svg'), FAVICON);
  const css = Object.keys(result.metafile.outputs).some((f) => f.endsWith(`${opts.name}.css`));
  fs.writeFileSync(path.join(opts.outDir, opts.html ?? `${opts.name}.html`), htmlPage(opts.title, `${opts.name}.js`, css ? `${opts.name}.css` : null));
}

export async function buildRenderer(outDir = path.join(ROOT, 'dist/renderer')): Promise<void> {
  fs.rmSync(outDir, { recursive: true, force: true });
  await buildPage({ entry: path.join(ROOT, 'renderer/main.tsx'), outDir, name: 'app', title: 'Holdfast', html: 'index.html' });
}

function dependencies(): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  return Object.keys(pkg.dependencies ?? {});
}

/** Worker threads the core starts, by their source file: each becomes its own bundle beside main.mjs. */
export const WORKERS: Record<string, string> = {
  'src/app/jobs/worker.ts': 'worker',
  'src/production/pdf/render-worker.ts': 'pdf-render-worker',
  'src/ingest/parse-worker.ts': 'parse-worker',
  'src/search/scan-worker.ts': 'scan-worker',
  // A job on a matter (the matter server) talks to PostgreSQL through this thread; the app never starts it.
  'src/case/data/postgres/bridge-worker.ts': 'pg-bridge-worker',
};

/**
 * Core modules find files relative to their own source (`new URL('./x.ts', import.meta.url)`,
 * resources/fonts three folders up). In a bundle import.meta.url is the bundle's: worker URLs are
 * pointed at the worker bundles, and every other import.meta.url at the module's original place
 * relative to the bundle (the app ships resources/ where the checkout has it).
 */
function sourceRelativePaths(outDir: string): esbuild.Plugin {
  return {
    name: 'source-relative-paths',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, async (args) => {
        let code = await fs.promises.readFile(args.path, 'utf8');
        if (!code.includes('import.meta.url')) return { contents: code, loader: 'ts' };
        code = code.replace(/new URL\((['"])\.\/([\w-]+)\.ts\1, import\.meta\.url\)/g, (whole, _q: string, name: string) => {
          const source = path.relative(ROOT, path.join(path.dirname(args.path), `${name}.ts`)).split(path.sep).join('/');
          const bundle = WORKERS[source];
          if (!bundle) throw new Error(`${args.path}: a worker URL for ${source}, which is not in WORKERS (scripts/bundles.ts)`);
          return `new URL('./${bundle}.mjs', __BUNDLE_URL__)`;
        });
        const fromBundle = path.relative(outDir, args.path).split(path.sep).join('/');
        code = code.replace(/import\.meta\.url/g, `new URL(${JSON.stringify(fromBundle)}, import.meta.url).href`).replace(/__BUNDLE_URL__/g, 'import.meta.url');
        return { contents: code, loader: 'ts' };
      });
    },
  };
}

export async function buildElectron(outDir = path.join(ROOT, 'dist/electron')): Promise<void> {
  fs.rmSync(outDir, { recursive: true, force: true });
  const external = ['electron', ...dependencies().flatMap((d) => [d, `${d}/*`])];
  const node: esbuild.BuildOptions = {
    bundle: true,
    platform: 'node',
    target: ['node22'],
    outdir: outDir,
    external,
    legalComments: 'none',
    logLevel: 'silent',
  };
  // ESM (workers use top-level await); CommonJS dependencies are loaded through a real require.
  await esbuild.build({
    ...node,
    entryPoints: {
      main: path.join(ROOT, 'electron/main.ts'),
      ...Object.fromEntries(Object.entries(WORKERS).map(([source, name]) => [name, path.join(ROOT, source)])),
    },
    format: 'esm',
    outExtension: { '.js': '.mjs' },
    plugins: [sourceRelativePaths(outDir)],
    banner: { js: "import { createRequire as __holdfastCreateRequire } from 'node:module'; const require = __holdfastCreateRequire(import.meta.url);" },
  });
  // A sandboxed preload must be one CommonJS file that requires nothing but electron.
  await esbuild.build({
    ...node,
    entryPoints: { preload: path.join(ROOT, 'electron/preload.ts') },
    format: 'cjs',
    external: ['electron'],
    outExtension: { '.js': '.cjs' },
  });
}
