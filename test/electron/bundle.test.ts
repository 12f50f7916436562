/**
 * The desktop shell without Electron (its binary cannot be downloaded here): the bundles build,
 * import nothing that will not be there at run time, carry the security settings, the bundled job
 * worker really runs a job, and the packaging config is valid with the fuses set.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { builtinModules, createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { buildElectron, buildRenderer } from '../../scripts/bundles.ts';
import { setWorkerUrl, startJob } from '../../src/app/jobs/runner.ts';
import type { ImportResultDTO, ProductionResultDTO, VerifyResultDTO } from '../../src/api/dto.ts';
import { whatsappLines } from '../helpers/generate.ts';
import { ROOT, PASSPHRASE, newCase, tempDir } from '../helpers/case.ts';
import { POOL_MIN_MESSAGES } from '../../src/production/pdf/render.ts';

let out: string;
const requireFromRoot = createRequire(path.join(ROOT, 'package.json'));
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { main: string; dependencies: Record<string, string> };

/** Every module specifier a bundle loads: static imports, dynamic imports, require calls. */
function specifiers(code: string): string[] {
  const found = new Set<string>();
  const patterns = [
    /^\s*(?:import|export)\b[^;]*?\bfrom\s*["']([^"']+)["']/gm,
    /^\s*import\s*["']([^"']+)["']/gm,
    /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
    /\brequire\(\s*["']([^"']+)["']\s*\)/g,
  ];
  for (const re of patterns) {
    for (const m of code.matchAll(re)) found.add(m[1]!);
  }
  return [...found];
}

function isBuiltin(s: string): boolean {
  return s.startsWith('node:') || builtinModules.includes(s);
}

before(async () => {
  // Inside the checkout (tmp/ is ignored), as dist/electron is: its packages resolve from node_modules.
  fs.mkdirSync(path.join(ROOT, 'tmp'), { recursive: true });
  out = path.join(fs.mkdtempSync(path.join(ROOT, 'tmp', 'electron-')), 'electron');
  await buildElectron(out);
});

after(() => fs.rmSync(path.dirname(out), { recursive: true, force: true }));

test('main, preload and worker bundles are built where package.json and main.ts expect them', () => {
  for (const f of ['main.mjs', 'preload.cjs', 'worker.mjs']) assert.ok(fs.existsSync(path.join(out, f)), f);
  assert.equal(pkg.main, 'dist/electron/main.mjs');
  const main = fs.readFileSync(path.join(out, 'main.mjs'), 'utf8');
  assert.match(main, /preload\.cjs/);
  for (const w of ['worker', 'pdf-render-worker', 'parse-worker', 'scan-worker']) {
    assert.ok(fs.existsSync(path.join(out, `${w}.mjs`)), w);
    assert.match(main, new RegExp(`new URL\\("\\./${w}\\.mjs", import\\.meta\\.url\\)`), `main.mjs starts ${w}.mjs`);
  }
  assert.match(main, /\.\.", "renderer"|"\.\.", "renderer"/);
});

test('the main process and worker load only built-ins, electron and shipped dependencies', () => {
  for (const file of ['main.mjs', 'worker.mjs']) {
    const code = fs.readFileSync(path.join(out, file), 'utf8');
    for (const s of specifiers(code)) {
      if (isBuiltin(s)) continue;
      if (s === 'electron') {
        assert.equal(file, 'main.mjs', 'the job worker must not need electron');
        continue;
      }
      const name = s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]!;
      assert.ok(name in pkg.dependencies, `${file} loads ${s}, which is not a runtime dependency`);
      assert.doesNotThrow(() => import.meta.resolve(s), `${file}: ${s} does not resolve`);
    }
    // No TypeScript left for Electron's Node to choke on, nothing of the renderer.
    assert.doesNotMatch(code, /from\s*["'][^"']+\.tsx?["']/, file);
    assert.doesNotMatch(code, /\breact-dom\b/, file);
  }
});

test('the sandboxed preload requires electron alone and exposes exactly invoke and subscribe', () => {
  const code = fs.readFileSync(path.join(out, 'preload.cjs'), 'utf8');
  assert.deepEqual(specifiers(code), ['electron']);
  const exposed = /exposeInMainWorld\("holdfast",\s*\{([\s\S]*?)\n\}\);/.exec(code);
  assert.ok(exposed, 'one exposeInMainWorld call');
  assert.equal((code.match(/exposeInMainWorld/g) ?? []).length, 1);
  const keys = [...exposed[1]!.matchAll(/^\s{2}(\w+):/gm)].map((m) => m[1]);
  assert.deepEqual(keys, ['invoke', 'subscribe']);
});

test('the main process locks the window down', () => {
  const main = fs.readFileSync(path.join(out, 'main.mjs'), 'utf8');
  for (const needle of [
    'app.enableSandbox()',
    'sandbox: true',
    'contextIsolation: true',
    'nodeIntegration: false',
    'nodeIntegrationInWorker: false',
    'webviewTag: false',
    'webSecurity: true',
    'allowRunningInsecureContent: false',
    'disableBlinkFeatures: "Auxclick"',
    'setWindowOpenHandler(() => ({ action: "deny" }))',
    '"will-navigate"',
    '"will-attach-webview"',
    'setPermissionRequestHandler',
    'setPermissionCheckHandler',
    'onBeforeRequest',
    'registerSchemesAsPrivileged',
    "Content-Security-Policy",
    'isTrustedSender',
  ]) {
    assert.ok(main.includes(needle), `main.mjs lacks ${needle}`);
  }
  for (const banned of ['autoUpdater', 'crashReporter', 'nodeIntegration: true', 'contextIsolation: false', 'webSecurity: false', 'file://']) {
    assert.ok(!main.includes(banned), `main.mjs contains ${banned}`);
  }
});

test('the bundled workers import a source and produce a PDF with the bundled fonts', async () => {
  const s = newCase();
  s.close();
  const dir = tempDir();
  // Enough messages that the production lays out its units in the bundled PDF render workers.
  const perSource = POOL_MIN_MESSAGES / 2;
  const sources = ['Kim', 'Lee'].map((name, i) => {
    const file = path.join(dir, `WhatsApp Chat with ${name}.txt`);
    fs.writeFileSync(file, `${[...whatsappLines({ messages: perSource, seed: 3 + i, authors: [name, 'Sam'] })].join('\n')}\n`);
    return file;
  });
  setWorkerUrl(pathToFileURL(path.join(out, 'worker.mjs')));
  try {
    for (const source of sources) {
      const imported = await startJob<ImportResultDTO>({ kind: 'import', case: { file: s.path }, params: { source, tz: 'UTC' }, actor: 'Tester' }, PASSPHRASE).result;
      assert.equal(imported.messages, perSource);
    }
    const produced = await startJob<ProductionResultDTO>(
      { kind: 'produce', case: { file: s.path }, params: { format: 'pdf', out: path.join(dir, 'out'), per: 'unit' }, actor: 'Tester' },
      PASSPHRASE,
    ).result;
    const pdfs = produced.files.filter((f) => f.path.endsWith('.pdf'));
    assert.equal(produced.messages, 2 * perSource);
    assert.ok(pdfs.length >= 2, 'a transcript per conversation-day');
    for (const f of pdfs) assert.equal(fs.readFileSync(f.path).subarray(0, 5).toString('latin1'), '%PDF-');
    // The bundled Noto faces were found and embedded (pdfkit names embedded subsets AAAAAA+Name).
    assert.match(fs.readFileSync(pdfs[0]!.path).toString('latin1'), /\/FontName \/[A-Z]{6}\+NotoSans/);
    const verified = await startJob<VerifyResultDTO>({ kind: 'verify', case: { file: s.path }, params: {}, actor: 'Tester' }, PASSPHRASE).result;
    assert.equal(verified.ok, true, JSON.stringify(verified.problems));
  } finally {
    setWorkerUrl(new URL('../../src/app/jobs/worker.ts', import.meta.url));
  }
});

test('the renderer build has a strict CSP and no inline script', async () => {
  const dir = path.join(tempDir('holdfast-renderer-'), 'renderer');
  await buildRenderer(dir);
  const html = fs.readFileSync(path.join(dir, 'index.html'), 'utf8');
  const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'self'(;|$)/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:/);
  for (const script of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
    assert.match(script[1]!, /\bsrc="/, 'every script is a file');
    assert.equal(script[2]!.trim(), '', 'no inline script');
  }
  assert.doesNotMatch(html, /\son\w+=/i, 'no inline event handlers');
  const js = fs.readFileSync(path.join(dir, 'app.js'), 'utf8');
  assert.doesNotMatch(js, /\beval\(|new Function\(/);
});

test('electron-builder.yml is valid, sets the fuses and associates .hfcase', () => {
  const yaml = requireFromRoot('js-yaml') as { load(s: string): unknown };
  const Ajv = requireFromRoot('ajv') as new (o: object) => { compile(s: object): ((d: unknown) => boolean) & { errors?: unknown } };
  const config = yaml.load(fs.readFileSync(path.join(ROOT, 'electron-builder.yml'), 'utf8')) as {
    electronFuses: Record<string, boolean>; fileAssociations: { ext: string }[]; asarUnpack: string[]; files: string[]; publish: unknown;
    linux: { target: string[] }; mac: { target: string }; win: { target: string };
  };
  const schema = JSON.parse(fs.readFileSync(requireFromRoot.resolve('app-builder-lib/scheme.json'), 'utf8')) as object;
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
  assert.ok(validate(config), JSON.stringify(validate.errors));
  assert.deepEqual(config.electronFuses, {
    runAsNode: false,
    enableCookieEncryption: true,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    loadBrowserProcessSpecificV8Snapshot: false,
    grantFileProtocolExtraPrivileges: false,
  });
  assert.deepEqual(config.fileAssociations.map((f) => f.ext), ['hfcase']);
  assert.ok(config.asarUnpack.some((p) => p.includes('better-sqlite3-multiple-ciphers')));
  assert.ok(config.files.includes('!test/**') && config.files.includes('!**/fixtures/**'));
  assert.equal(config.publish, null);
  assert.deepEqual([config.linux.target, config.mac.target, config.win.target], [['AppImage', 'deb'], 'dmg', 'nsis']);
});
