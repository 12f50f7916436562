/**
 * Applying a SQLite write-ahead log to a database image in memory. Apps (Messages, WhatsApp) keep
 * their databases in WAL mode, and a backup or an extraction often holds recent messages only in
 * the `-wal` file. SQLite itself can only replay a WAL that sits beside a writable file on disk,
 * which would mean a plaintext copy (or writing into the evidence folder), so the committed frames
 * are replayed here instead, following https://www.sqlite.org/fileformat.html#the_write_ahead_log.
 */

const WAL_HEADER = 32;
const FRAME_HEADER = 24;

export interface WalResult {
  image: Buffer;
  /** Committed frames replayed onto the image. */
  framesApplied: number;
  /** Why the log was ignored (bad header), when it was. */
  ignored?: string;
}

/** Cumulative checksum of SQLite's WAL, over 8-byte pieces of `data`, continuing from `s`. */
function checksum(data: Buffer, bigEndian: boolean, s: [number, number]): [number, number] {
  let [s0, s1] = s;
  for (let i = 0; i + 8 <= data.length; i += 8) {
    const x0 = bigEndian ? data.readUInt32BE(i) : data.readUInt32LE(i);
    const x1 = bigEndian ? data.readUInt32BE(i + 4) : data.readUInt32LE(i + 4);
    s0 = (s0 + x0 + s1) >>> 0;
    s1 = (s1 + x1 + s0) >>> 0;
  }
  return [s0, s1];
}

/**
 * The database image with every committed transaction of `wal` applied. Frames after the last
 * valid commit (an interrupted transaction, a log from an earlier checkpoint generation) are not.
 */
export function applyWal(db: Buffer, wal: Buffer): WalResult {
  if (wal.length < WAL_HEADER) return { image: db, framesApplied: 0, ignored: 'shorter than a WAL header' };
  const magic = wal.readUInt32BE(0);
  if (magic !== 0x377f0682 && magic !== 0x377f0683) return { image: db, framesApplied: 0, ignored: 'not a SQLite WAL (bad magic number)' };
  const bigEndian = (magic & 1) === 1;
  const pageSize = wal.readUInt32BE(8);
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) {
    return { image: db, framesApplied: 0, ignored: `impossible page size ${pageSize}` };
  }
  const salt1 = wal.readUInt32BE(16);
  const salt2 = wal.readUInt32BE(20);
  let sum = checksum(wal.subarray(0, 24), bigEndian, [0, 0]);
  if (sum[0] !== wal.readUInt32BE(24) || sum[1] !== wal.readUInt32BE(28)) {
    return { image: db, framesApplied: 0, ignored: 'header checksum does not match' };
  }

  // Pages of the transaction being read, and of everything committed so far (last write wins).
  let pending = new Map<number, number>();
  const committed = new Map<number, number>();
  let committedPages = 0;
  let framesApplied = 0;
  let pendingFrames = 0;
  for (let off = WAL_HEADER; off + FRAME_HEADER + pageSize <= wal.length; off += FRAME_HEADER + pageSize) {
    const pgno = wal.readUInt32BE(off);
    const commitSize = wal.readUInt32BE(off + 4);
    if (pgno === 0 || wal.readUInt32BE(off + 8) !== salt1 || wal.readUInt32BE(off + 12) !== salt2) break;
    sum = checksum(wal.subarray(off, off + 8), bigEndian, sum);
    sum = checksum(wal.subarray(off + FRAME_HEADER, off + FRAME_HEADER + pageSize), bigEndian, sum);
    if (sum[0] !== wal.readUInt32BE(off + 16) || sum[1] !== wal.readUInt32BE(off + 20)) break;
    pending.set(pgno, off + FRAME_HEADER);
    pendingFrames++;
    if (commitSize > 0) {
      for (const [p, at] of pending) committed.set(p, at);
      committedPages = commitSize;
      framesApplied += pendingFrames;
      pending = new Map();
      pendingFrames = 0;
    }
  }
  if (committedPages === 0) return { image: db, framesApplied: 0 };

  const image = Buffer.alloc(committedPages * pageSize);
  db.copy(image, 0, 0, Math.min(db.length, image.length));
  for (const [pgno, at] of committed) {
    if (pgno <= committedPages) wal.copy(image, (pgno - 1) * pageSize, at, at + pageSize);
  }
  return { image, framesApplied };
}
