/** `npm run build`: the renderer into dist/renderer, the Electron main/preload/worker into dist/electron. */
import { buildElectron, buildRenderer } from './bundles.ts';

const started = Date.now();
await buildRenderer();
await buildElectron();
process.stdout.write(`Built dist/renderer and dist/electron in ${Date.now() - started} ms.\n`);
