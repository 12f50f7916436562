#!/usr/bin/env node
// Entry point for `npx holdfast`: Node 22.18+ runs the TypeScript sources directly (type stripping).
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(`holdfast: INTERNAL: Node.js 22.18 or newer is needed (this is ${process.version}).\n`);
  process.exit(1);
}
// The compile cache first, so what is imported after it is cached.
await import('./compile-cache.js');
const { main } = await import('../src/cli/main.ts');
// A closed pipe (holdfast messages ... | head) ends output quietly.
process.stdout.on('error', (err) => { if (err.code === 'EPIPE') process.exit(0); throw err; });
const controller = new AbortController();
process.once('SIGINT', () => controller.abort());
process.title = 'holdfast';
const code = await main({ argv: process.argv.slice(2), stdout: process.stdout, stderr: process.stderr, env: process.env, signal: controller.signal });
process.exitCode = code;
