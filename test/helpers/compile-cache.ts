/**
 * Loaded into every test process by `npm test` (`--import`): V8's compile cache of the sources, in the
 * same folder as the CLI's (bin/holdfast.js), so each test file, its worker threads and the CLI
 * commands it runs start in less CPU. Deleting the folder is harmless.
 */
import module from 'node:module';
import os from 'node:os';
import path from 'node:path';

const cacheRoot = process.env.XDG_CACHE_HOME || (process.platform === 'win32' ? process.env.LOCALAPPDATA : '') || path.join(os.homedir(), '.cache');
const cache = module.enableCompileCache(process.env.NODE_COMPILE_CACHE || path.join(cacheRoot, 'holdfast', 'compile-cache'));
// Worker threads and child processes read the folder from the environment.
if (cache.directory && !process.env.NODE_COMPILE_CACHE) process.env.NODE_COMPILE_CACHE = cache.directory;
