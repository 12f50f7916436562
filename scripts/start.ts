/**
 * `npm start`: build, make sure Electron's binary is present (npm 11 does not run install scripts
 * by default, so electron's own installer may never have run), then launch the app.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { buildElectron, buildRenderer, ROOT } from './bundles.ts';

await buildRenderer();
await buildElectron();

const electronDir = path.join(ROOT, 'node_modules/electron');
if (!fs.existsSync(path.join(electronDir, 'dist'))) {
  process.stdout.write('Downloading the Electron binary (once)...\n');
  const r = spawnSync(process.execPath, [path.join(electronDir, 'install.js')], { stdio: 'inherit', cwd: electronDir });
  if (r.status !== 0) {
    process.stderr.write('Could not download Electron. Check the network, or set ELECTRON_MIRROR, then run npm start again.\n');
    process.exit(1);
  }
}
// In Node, the electron package exports the path of its binary.
const electronBinary = createRequire(import.meta.url)('electron') as string;
const child = spawn(electronBinary, ['.', ...process.argv.slice(2)], { cwd: ROOT, stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 0));
