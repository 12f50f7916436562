/**
 * Sets every entry's modification time in a finished zip (XLSX) to one fixed time, in place.
 * ExcelJS's writer stamps entries with the wall clock; a production must be byte-identical when
 * its definition is, so the DOS date/time fields of the local and central headers are rewritten
 * (same size, nothing else moves). Handles Zip64 end records.
 */
import fs from 'node:fs';

function dosDateTime(ms: number): { time: number; date: number } {
  const d = new Date(Math.max(ms, Date.UTC(1980, 0, 1)));
  const time = (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | (d.getUTCSeconds() >> 1);
  const date = ((d.getUTCFullYear() - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate();
  return { time, date };
}

export function setZipEntryTimes(file: string, ms: number): number {
  const fd = fs.openSync(file, 'r+');
  try {
    const size = fs.fstatSync(fd).size;
    const tailLen = Math.min(size, 65_557);
    const tail = Buffer.alloc(tailLen);
    fs.readSync(fd, tail, 0, tailLen, size - tailLen);
    let eocd = -1;
    for (let i = tailLen - 22; i >= 0; i--) if (tail.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
    if (eocd < 0) throw new Error(`${file} is not a zip (no end of central directory)`);
    let count = tail.readUInt16LE(eocd + 10);
    let cdSize = tail.readUInt32LE(eocd + 12);
    let cdOffset = tail.readUInt32LE(eocd + 16);
    if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
      const loc = eocd - 20;
      if (loc < 0 || tail.readUInt32LE(loc) !== 0x07064b50) throw new Error(`${file}: Zip64 locator missing`);
      const z64 = Number(tail.readBigUInt64LE(loc + 8));
      const rec = Buffer.alloc(56);
      fs.readSync(fd, rec, 0, 56, z64);
      count = Number(rec.readBigUInt64LE(32));
      cdSize = Number(rec.readBigUInt64LE(40));
      cdOffset = Number(rec.readBigUInt64LE(48));
    }
    const cd = Buffer.alloc(cdSize);
    fs.readSync(fd, cd, 0, cdSize, cdOffset);
    const { time, date } = dosDateTime(ms);
    const stamp = Buffer.alloc(4);
    stamp.writeUInt16LE(time, 0);
    stamp.writeUInt16LE(date, 2);
    let p = 0;
    for (let n = 0; n < count; n++) {
      if (cd.readUInt32LE(p) !== 0x02014b50) throw new Error(`${file}: bad central directory entry ${n}`);
      cd.writeUInt16LE(time, p + 12);
      cd.writeUInt16LE(date, p + 14);
      const nameLen = cd.readUInt16LE(p + 28);
      const extraLen = cd.readUInt16LE(p + 30);
      const commentLen = cd.readUInt16LE(p + 32);
      let localOffset = cd.readUInt32LE(p + 42);
      if (localOffset === 0xffffffff) {
        // Zip64 extended information: the local offset follows any 64-bit sizes that were also escaped.
        let e = p + 46 + nameLen;
        const end = e + extraLen;
        while (e + 4 <= end) {
          const id = cd.readUInt16LE(e);
          const len = cd.readUInt16LE(e + 2);
          if (id === 0x0001) {
            let q = e + 4;
            if (cd.readUInt32LE(p + 24) === 0xffffffff) q += 8;
            if (cd.readUInt32LE(p + 20) === 0xffffffff) q += 8;
            localOffset = Number(cd.readBigUInt64LE(q));
          }
          e += 4 + len;
        }
      }
      fs.writeSync(fd, stamp, 0, 4, localOffset + 10);
      p += 46 + nameLen + extraLen + commentLen;
    }
    fs.writeSync(fd, cd, 0, cdSize, cdOffset);
    return count;
  } finally {
    fs.closeSync(fd);
  }
}
