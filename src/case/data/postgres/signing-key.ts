import type { Bridge } from './bridge.ts';
import type { SigningKeyReader, SigningKeyWriter } from '../interface.ts';

/** The matter's Ed25519 key: one row, never changed or removed (triggers of migration 2). */
export function signingKeyReader(b: Bridge): SigningKeyReader {
  return {
    supported: () => b.value<string | null>("SELECT to_regclass('signing_key')::text") !== null,
    present: () => b.get('SELECT 1 FROM signing_key') !== undefined,
    publicKey: () => b.get<{ public_key: Buffer; fingerprint: string }>('SELECT public_key, fingerprint FROM signing_key WHERE id = 1'),
    privateKey: () => b.value<Buffer>('SELECT private_key FROM signing_key WHERE id = 1')!,
  };
}

export function signingKeyWriter(b: Bridge): SigningKeyWriter {
  return {
    create: (k) => {
      b.run("INSERT INTO signing_key(id, algorithm, public_key, private_key, fingerprint, created_at) VALUES (1, 'Ed25519', $1, $2, $3, $4)", [
        k.publicKey, k.privateKey, k.fingerprint, k.at,
      ]);
    },
  };
}
