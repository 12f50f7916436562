#!/usr/bin/env node
// Entry point for `npx holdfast`: Node 22.18+ runs the TypeScript sources directly (type stripping).
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(`holdfast: INTERNAL: Node.js 22.18 or newer is needed (this is ${process.version}).\n`);
  process.exit(1);
}
// V8 keeps the compiled sources (TypeScript already stripped) between runs, in the user's cache folder
// (never the temp folder, where nothing of Holdfast's is left): a command starts in about half the CPU time.
const { enableCompileCache } = await import('node:module');
const os = await import('node:os');
const path = await import('node:path');
const cacheRoot = process.env.XDG_CACHE_HOME || (process.platform === 'win32' ? process.env.LOCALAPPDATA : '') || path.join(os.homedir(), '.cache');
const cache = enableCompileCache?.(process.env.NODE_COMPILE_CACHE || path.join(cacheRoot, 'holdfast', 'compile-cache'));
// Worker threads (the import's parser, jobs) read the folder from the environment.
if (cache?.directory && !process.env.NODE_COMPILE_CACHE) process.env.NODE_COMPILE_CACHE = cache.directory;
const { main } = await import('../src/cli/main.ts');
// A closed pipe (holdfast messages ... | head) ends output quietly.
process.stdout.on('error', (err) => { if (err.code === 'EPIPE') process.exit(0); throw err; });
const controller = new AbortController();
process.once('SIGINT', () => controller.abort());
process.title = 'holdfast';
const code = await main({ argv: process.argv.slice(2), stdout: process.stdout, stderr: process.stderr, env: process.env, signal: controller.signal });
process.exitCode = code;
