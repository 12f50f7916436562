/**
 * Writes WhatsApp for Android's encrypted backups the way the app does, from the public
 * descriptions of the formats, so the tests import real .crypt12/.crypt14/.crypt15 files:
 *   - key files: a Java-serialised byte[] (AC ED 00 05, TC_ARRAY, class "[B" with its
 *     serialVersionUID, TC_ENDBLOCKDATA, TC_NULL, int32 length, bytes); encrypted_backup.key holds the
 *     32-byte root key, `key` 131 bytes (cipher version 0001, key version, server salt, Google id
 *     salt, its SHA-256, 16 zero bytes, the AES key);
 *   - crypt15: AES key = HKDF-SHA256(root, salt = 32 zero bytes, info = "backup encryption"),
 *     which is the HMAC chain WhatsApp describes; crypt12/14 use the key file's AES key;
 *   - crypt14/15: [prefix length][0x01 when a feature table follows][BackupPrefix protobuf]
 *     [AES-256-GCM(zlib(database))][tag][MD5 of all before, unless written without a checksum];
 *   - crypt12: [00 01][key version][server salt][Google id][IV][body][tag][MD5][number end, 4 bytes].
 */
import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { BinaryWriter, WireType } from '@bufbuild/protobuf/wire';

/** java.lang.Object serialisation of a byte[] (its class descriptor as the JVM writes it). */
export function javaByteArray(data: Buffer): Buffer {
  const head = Buffer.alloc(27);
  Buffer.from([0xac, 0xed, 0x00, 0x05, 0x75, 0x72, 0x00, 0x02]).copy(head, 0);
  head.write('[B', 8, 'latin1');
  Buffer.from('acf317f8060854e0', 'hex').copy(head, 10); // serialVersionUID of byte[]
  head[18] = 0x02; // SC_SERIALIZABLE
  head.writeUInt16BE(0, 19); // no fields
  head[21] = 0x78; // TC_ENDBLOCKDATA
  head[22] = 0x70; // TC_NULL: no superclass
  head.writeInt32BE(data.length, 23);
  return Buffer.concat([head, data]);
}

export interface LegacyKey {
  serverSalt: Buffer;
  googleId: Buffer;
  aes: Buffer;
  keyVersion: number;
}

export function newLegacyKey(keyVersion = 2): LegacyKey {
  return { serverSalt: crypto.randomBytes(32), googleId: crypto.randomBytes(16), aes: crypto.randomBytes(32), keyVersion };
}

/** The 158-byte `key` file of crypt12/crypt14 backups. */
export function legacyKeyFile(k: LegacyKey): Buffer {
  const googleIdHash = crypto.createHash('sha256').update(k.googleId).digest();
  return javaByteArray(Buffer.concat([Buffer.from([0x00, 0x01, k.keyVersion]), k.serverSalt, k.googleId, googleIdHash, Buffer.alloc(16), k.aes]));
}

/** encrypted_backup.key: the serialised 32-byte root key of end-to-end encrypted backups. */
export function crypt15KeyFile(root: Buffer): Buffer {
  return javaByteArray(root);
}

function gcm(key: Buffer, iv: Buffer, plain: Buffer): { body: Buffer; tag: Buffer } {
  const c = crypto.createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([c.update(plain), c.final()]);
  return { body, tag: c.getAuthTag() };
}

/** BackupPrefix.info: the WhatsApp version, the number's last two digits, and (msgstore) feature flags. */
function writeInfo(w: BinaryWriter, features: boolean): void {
  w.tag(4, WireType.LengthDelimited).fork();
  w.tag(1, WireType.LengthDelimited).string('2.24.9.78');
  w.tag(3, WireType.LengthDelimited).string('67');
  if (features) {
    w.tag(4, WireType.Varint).int32(1);
    for (let f = 5; f <= 37; f++) w.tag(f, WireType.Varint).bool(true);
  }
  w.join();
}

export interface CryptOptions {
  /** Write the 0x01 byte and the feature table (msgstore backups); default true. */
  featureTable?: boolean;
  /** End with the MD5 of everything before it (msgstore backups); default true. */
  checksum?: boolean;
}

function frame(prefix: Uint8Array, features: boolean, key: Buffer, iv: Buffer, database: Buffer, checksum: boolean): Buffer {
  if (prefix.length > 255) throw new Error('a BackupPrefix longer than 255 bytes cannot be framed');
  const { body, tag } = gcm(key, iv, zlib.deflateSync(database, { level: 1 }));
  const parts = [Buffer.from(features ? [prefix.length, 0x01] : [prefix.length]), Buffer.from(prefix), body, tag];
  if (checksum) parts.push(crypto.createHash('md5').update(Buffer.concat(parts)).digest());
  return Buffer.concat(parts);
}

/** msgstore.db.crypt15 (or wa.db.crypt15 with `featureTable: false`) from a SQLite database. */
export function writeCrypt15(database: Buffer, root: Buffer, opts: CryptOptions = {}): Buffer {
  const features = opts.featureTable ?? true;
  const iv = crypto.randomBytes(16);
  const w = new BinaryWriter();
  w.tag(1, WireType.Varint).int32(1); // HSM_CONTROLLED: end-to-end
  w.tag(3, WireType.LengthDelimited).fork().tag(1, WireType.LengthDelimited).bytes(iv).join();
  writeInfo(w, features);
  const key = Buffer.from(crypto.hkdfSync('sha256', root, Buffer.alloc(32), 'backup encryption', 32));
  return frame(w.finish(), features, key, iv, database, opts.checksum ?? true);
}

/** msgstore.db.crypt14 from a SQLite database. */
export function writeCrypt14(database: Buffer, k: LegacyKey, opts: CryptOptions = {}): Buffer {
  const features = opts.featureTable ?? true;
  const iv = crypto.randomBytes(16);
  const w = new BinaryWriter();
  w.tag(1, WireType.Varint).int32(0); // WA_PROVIDED
  w.tag(2, WireType.LengthDelimited).fork()
    .tag(1, WireType.LengthDelimited).bytes(Buffer.from([0x00, 0x01]))
    .tag(2, WireType.LengthDelimited).bytes(Buffer.from(String(k.keyVersion)))
    .tag(3, WireType.LengthDelimited).bytes(k.serverSalt)
    .tag(4, WireType.LengthDelimited).bytes(k.googleId)
    .tag(5, WireType.LengthDelimited).bytes(iv)
    .join();
  writeInfo(w, features);
  return frame(w.finish(), features, k.aes, iv, database, opts.checksum ?? true);
}

/** msgstore.db.crypt12 from a SQLite database. */
export function writeCrypt12(database: Buffer, k: LegacyKey): Buffer {
  const iv = crypto.randomBytes(16);
  const header = Buffer.concat([Buffer.from([0x00, 0x01, k.keyVersion]), k.serverSalt, k.googleId, iv]);
  const { body, tag } = gcm(k.aes, iv, zlib.deflateSync(database));
  const sealed = Buffer.concat([header, body, tag]);
  return Buffer.concat([sealed, crypto.createHash('md5').update(sealed).digest(), Buffer.from('--67', 'latin1')]);
}
