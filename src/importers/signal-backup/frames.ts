/**
 * The BackupFrame protobuf of Signal for Android's backup files (Backups.proto), decoded with the
 * protobuf wire reader. Only the fields Holdfast uses are kept; unknown fields are skipped.
 */
import { BinaryReader, WireType } from '@bufbuild/protobuf/wire';

export type SqlValue = string | number | bigint | Uint8Array | null;

export interface BackupFrame {
  header?: { iv?: Uint8Array; salt?: Uint8Array; version?: number };
  statement?: { sql: string; params: SqlValue[] };
  attachment?: { rowId: bigint; attachmentId: bigint; length: number };
  /** Avatars and stickers: followed by their data like attachments; not evidence of messages. */
  blob?: { kind: 'avatar' | 'sticker'; length: number };
  databaseVersion?: number;
  keyValue?: { key: string; string?: string; blob?: Uint8Array };
  preference?: { key: string; value?: string };
  end?: boolean;
}

/** Reads the fields of one embedded message, calling `field` for each (the reader is positioned on its value). */
function fields(bytes: Uint8Array, field: (no: number, wt: WireType, r: BinaryReader) => boolean): void {
  const r = new BinaryReader(bytes);
  while (r.pos < r.len) {
    const [no, wt] = r.tag();
    if (!field(no, wt, r)) r.skip(wt, no);
  }
}

function sqlParameter(bytes: Uint8Array): SqlValue {
  let value: SqlValue = null;
  fields(bytes, (no, wt, r) => {
    if (no === 1 && wt === WireType.LengthDelimited) value = r.string();
    else if (no === 2 && wt === WireType.Varint) {
      // A Java long written as uint64: read it back as signed (-1 defaults are common).
      const n = BigInt(r.int64());
      value = n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
    } else if (no === 3 && wt === WireType.Bit64) value = r.double();
    else if (no === 4 && wt === WireType.LengthDelimited) value = r.bytes();
    else if (no === 5 && wt === WireType.Varint) {
      r.bool();
      value = null;
    } else return false;
    return true;
  });
  return value;
}

export function decodeFrame(bytes: Uint8Array): BackupFrame {
  const frame: BackupFrame = {};
  fields(bytes, (no, wt, r) => {
    if (wt === WireType.Varint && no === 6) {
      frame.end = r.bool();
      return true;
    }
    if (wt !== WireType.LengthDelimited) return false;
    const body = r.bytes();
    switch (no) {
      case 1: {
        const h: NonNullable<BackupFrame['header']> = {};
        fields(body, (n, w, rr) => {
          if (n === 1 && w === WireType.LengthDelimited) h.iv = rr.bytes();
          else if (n === 2 && w === WireType.LengthDelimited) h.salt = rr.bytes();
          else if (n === 3 && w === WireType.Varint) h.version = rr.uint32();
          else return false;
          return true;
        });
        frame.header = h;
        break;
      }
      case 2: {
        const s = { sql: '', params: [] as SqlValue[] };
        fields(body, (n, w, rr) => {
          if (n === 1 && w === WireType.LengthDelimited) s.sql = rr.string();
          else if (n === 2 && w === WireType.LengthDelimited) s.params.push(sqlParameter(rr.bytes()));
          else return false;
          return true;
        });
        frame.statement = s;
        break;
      }
      case 3: {
        const pref: NonNullable<BackupFrame['preference']> = { key: '' };
        fields(body, (n, w, rr) => {
          if (n === 2 && w === WireType.LengthDelimited) pref.key = rr.string();
          else if (n === 3 && w === WireType.LengthDelimited) pref.value = rr.string();
          else return false;
          return true;
        });
        frame.preference = pref;
        break;
      }
      case 4: {
        const a = { rowId: 0n, attachmentId: 0n, length: 0 };
        fields(body, (n, w, rr) => {
          if (w !== WireType.Varint) return false;
          if (n === 1) a.rowId = BigInt(rr.uint64());
          else if (n === 2) a.attachmentId = BigInt(rr.uint64());
          else if (n === 3) a.length = rr.uint32();
          else return false;
          return true;
        });
        frame.attachment = a;
        break;
      }
      case 5:
        fields(body, (n, w, rr) => {
          if (n !== 1 || w !== WireType.Varint) return false;
          frame.databaseVersion = rr.uint32();
          return true;
        });
        break;
      case 7:
      case 8: {
        // Avatar {name 1, length 2, recipientId 3}; Sticker {rowId 1, length 2}.
        const b = { kind: no === 7 ? ('avatar' as const) : ('sticker' as const), length: 0 };
        fields(body, (n, w, rr) => {
          if (n !== 2 || w !== WireType.Varint) return false;
          b.length = rr.uint32();
          return true;
        });
        frame.blob = b;
        break;
      }
      case 9: {
        const kv: NonNullable<BackupFrame['keyValue']> = { key: '' };
        fields(body, (n, w, rr) => {
          if (n === 1 && w === WireType.LengthDelimited) kv.key = rr.string();
          else if (n === 2 && w === WireType.LengthDelimited) kv.blob = rr.bytes();
          else if (n === 7 && w === WireType.LengthDelimited) kv.string = rr.string();
          else return false;
          return true;
        });
        frame.keyValue = kv;
        break;
      }
      default:
        break;
    }
    return true;
  });
  return frame;
}
