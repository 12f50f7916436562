/**
 * V8 keeps the compiled sources (TypeScript already stripped) between runs, in the user's cache folder
 * (never the temp folder, where nothing of Holdfast's is left): a command starts in about half the CPU
 * time. Loaded first by bin/holdfast.js, and by `npm test` (`--import`) so every
 * test process shares the CLI's folder. Deleting the folder is harmless. Plain JavaScript: when every
 * TypeScript file after it comes from the cache, Node never starts its type stripper (0.2 CPU s).
 */
import module from 'node:module';
import os from 'node:os';
import path from 'node:path';

const cacheRoot = process.env.XDG_CACHE_HOME || (process.platform === 'win32' ? process.env.LOCALAPPDATA : '') || path.join(os.homedir(), '.cache');
const cache = module.enableCompileCache?.(process.env.NODE_COMPILE_CACHE || path.join(cacheRoot, 'holdfast', 'compile-cache'));
// Worker threads (the import's parser, jobs) and child processes read the folder from the environment.
if (cache?.directory && !process.env.NODE_COMPILE_CACHE) process.env.NODE_COMPILE_CACHE = cache.directory;
