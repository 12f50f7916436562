/**
 * Loaded into every test process by `npm test` (`--import`): the CLI's compile cache
 * (src/cli/compile-cache.ts), so each test file, its worker threads and the CLI commands it runs
 * start in less CPU.
 */
import '../../src/cli/compile-cache.ts';
