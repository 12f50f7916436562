/**
 * Loaded into every test process by `npm test` (`--import`): the CLI's compile cache
 * (bin/compile-cache.js), so each test file, its worker threads and the CLI commands it runs
 * start in less CPU.
 */
import '../../bin/compile-cache.js';
