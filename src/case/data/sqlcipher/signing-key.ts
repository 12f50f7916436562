import type { DB } from './connection.ts';
import type { SigningKeyReader, SigningKeyWriter } from '../interface.ts';

export function signingKeyReader(db: DB): SigningKeyReader {
  return {
    supported: () => db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'signing_key'").get() !== undefined,
    present: () => db.prepare('SELECT 1 FROM signing_key').get() !== undefined,
    publicKey: () => db.prepare('SELECT public_key, fingerprint FROM signing_key WHERE id = 1').get() as { public_key: Buffer; fingerprint: string } | undefined,
    privateKey: () => db.prepare('SELECT private_key FROM signing_key WHERE id = 1').pluck().get() as Buffer,
  };
}

export function signingKeyWriter(db: DB): SigningKeyWriter {
  return {
    create: (k) => {
      db.prepare("INSERT INTO signing_key(id, algorithm, public_key, private_key, fingerprint, created_at) VALUES (1, 'Ed25519', ?, ?, ?, ?)").run(
        k.publicKey, k.privateKey, k.fingerprint, k.at,
      );
    },
  };
}
