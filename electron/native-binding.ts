/**
 * Which SQLCipher native module the app's connections load. Packaged, only the build shipped inside
 * the app: an environment variable set by whoever launches the app must not choose a native module
 * to run with the case's passphrase in memory. Unpackaged (development), HOLDFAST_SQLITE_BINDING
 * may point at a local Electron-ABI build.
 */
export function sqliteBinding(env: NodeJS.ProcessEnv, packaged: boolean, shipped: string, shippedExists: boolean): string | undefined {
  if (!packaged && env.HOLDFAST_SQLITE_BINDING) return env.HOLDFAST_SQLITE_BINDING;
  return shippedExists ? shipped : undefined;
}
