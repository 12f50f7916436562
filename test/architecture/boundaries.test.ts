/**
 * The dependency rules of the README's architecture section, checked on the import statements themselves:
 * the renderer imports only types and platform-neutral constants/helpers from src/api (never
 * Node, Electron or other core code); src/api imports nothing else of the project; src never
 * imports electron, react or the renderer; electron/ holds no business logic.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../helpers/case.ts';
import { files, imports } from './imports.ts';

/** src/api modules the renderer may take values (not just types) from: platform-neutral code. */
const RENDERER_VALUE_MODULES = ['src/api/client.ts', 'src/api/ws-transport.ts', 'src/api/wire.ts', 'src/api/errors.ts', 'src/api/events.ts', 'src/api/audit-text.ts'];
const RENDERER_PACKAGES = ['react', 'react-dom', 'react-dom/client', 'react/jsx-runtime', '@tanstack/react-table', '@tanstack/react-virtual'];

test('the renderer imports only its own modules, browser packages, and src/api', () => {
  const problems: string[] = [];
  for (const file of files('renderer')) {
    for (const i of imports(file)) {
      if (i.target === null) {
        if (!RENDERER_PACKAGES.includes(i.spec)) problems.push(`${file}: package ${i.spec}`);
        continue;
      }
      if (i.target.startsWith('renderer/')) continue;
      if (!i.target.startsWith('src/api/')) problems.push(`${file}: ${i.spec} (outside src/api)`);
      else if (!i.typeOnly && !RENDERER_VALUE_MODULES.includes(i.target)) problems.push(`${file}: value import from ${i.target} (types only, or one of ${RENDERER_VALUE_MODULES.join(', ')})`);
    }
  }
  assert.deepEqual(problems, []);
});

test('src/api imports nothing else of the project, and its renderer-facing modules need no Node', () => {
  const problems: string[] = [];
  for (const file of files('src/api')) {
    for (const i of imports(file)) {
      if (i.target !== null && !i.target.startsWith('src/api/')) problems.push(`${file}: ${i.spec}`);
      if (i.target === null && i.spec !== 'zod') problems.push(`${file}: package ${i.spec}`);
    }
  }
  // What the renderer loads as values (and their own value imports) runs in a browser.
  const seen = new Set<string>();
  const walk = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const i of imports(file)) {
      if (i.typeOnly) continue;
      if (i.target) walk(i.target);
      else problems.push(`${file} (loaded by the renderer): package ${i.spec}`);
    }
    const code = fs.readFileSync(path.join(ROOT, file), 'utf8');
    if (/\b(process|Buffer|require)\s*[.(]/.test(code)) problems.push(`${file} (loaded by the renderer) uses a Node global`);
  };
  RENDERER_VALUE_MODULES.forEach(walk);
  assert.deepEqual(problems, []);
});

test('the core never imports electron, react or the renderer', () => {
  const problems: string[] = [];
  for (const file of files('src')) {
    for (const i of imports(file)) {
      if (i.spec === 'electron' || i.spec.startsWith('react') || i.spec.startsWith('@tanstack/react')) problems.push(`${file}: ${i.spec}`);
      if (i.target?.startsWith('renderer/') || i.target?.startsWith('electron/')) problems.push(`${file}: ${i.spec}`);
    }
  }
  assert.deepEqual(problems, []);
});

test('electron/ reaches the core only through the app context, dispatch and the transports (the matter server\'s client among them)', () => {
  const allowed = ['src/app/app-context.ts', 'src/app/dispatch.ts', 'src/app/attachments.ts', 'src/server/static.ts', 'src/server/matter/connect.ts', 'src/api/'];
  const problems: string[] = [];
  for (const file of files('electron')) {
    for (const i of imports(file)) {
      if (i.target === null) {
        if (!['electron', 'node:fs', 'node:path', 'node:url', 'node:stream'].includes(i.spec)) problems.push(`${file}: package ${i.spec}`);
      } else if (!i.target.startsWith('electron/') && !allowed.some((a) => i.target!.startsWith(a))) problems.push(`${file}: ${i.spec}`);
    }
  }
  assert.deepEqual(problems, []);
});
