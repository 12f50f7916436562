/**
 * CFF subsets without subroutines (the CJK faces). fontkit's CFF subset keeps every global and
 * local subroutine slot of the font, unused ones replaced by a bare return, so that the subset
 * charstrings can keep their calls: for Noto Sans CJK that is tens of thousands of entries encoded
 * into every subset — about 100 KB per face in every PDF, and most of the time a transcript spends
 * being written. Here each subset glyph's charstring gets its subroutine calls inlined (the same
 * outlines and hints, byte for byte), and the subset carries no subroutines at all.
 *
 * A charstring this does not follow (the deprecated arithmetic and storage operators, a
 * subroutine number that is not a plain number, a missing subroutine) leaves fontkit's own
 * subsetting in place for that subset.
 */

interface Subr {
  offset: number;
  length: number;
}

interface PrivateDict {
  Subrs?: Subr[] | null;
}

interface FontDict {
  FontName?: unknown;
  Private?: PrivateDict | null;
}

interface TopDict {
  Private?: PrivateDict | null;
  FDArray?: FontDict[];
  FDSelect?: unknown;
}

interface CffTable {
  stream: { pos: number; readBuffer(length: number): Uint8Array };
  isCIDFont: boolean;
  globalSubrIndex?: Subr[];
  topDict: TopDict;
  getCharString(gid: number): Uint8Array;
  privateDictForGlyph(gid: number): PrivateDict | null;
  fdForGlyph(gid: number): number | null;
}

/** fontkit's CFFSubset: the parts replaced here. */
interface CffSubset {
  cff: CffTable;
  glyphs: number[];
  charstrings: Uint8Array[];
  gsubrs: Uint8Array[];
  encode(): Uint8Array;
  subsetCharstrings(): void;
  subsetFontdict(topDict: TopDict): void;
  createCIDFontdict(topDict: TopDict): void;
}

class Unsupported extends Error {}

/** Subroutine numbers are stored minus a bias that depends on how many there are (CFF spec, Type 2 charstrings 4.7). */
function bias(subrs: readonly Subr[]): number {
  return subrs.length < 1240 ? 107 : subrs.length < 33900 ? 1131 : 32768;
}

/**
 * The charstring of glyph `gid` with every callsubr/callgsubr replaced by the subroutine's body
 * (its closing return dropped). Operands and operators are copied as they are; the only state
 * followed is the operand stack (to find a call's subroutine number and to count stem hints,
 * which say how many bytes a hintmask or cntrmask operator takes).
 */
export function flattenCharString(cffTable: object, gid: number): Uint8Array {
  const cff = cffTable as CffTable;
  const global = cff.globalSubrIndex ?? [];
  const local = cff.privateDictForGlyph(gid)?.Subrs ?? [];
  const out: number[] = [];
  /** Output offset where each operand on the stack starts, and its value. */
  const stack: { at: number; value: number }[] = [];
  let stems = 0;
  let depth = 0;
  let ended = false;

  const read = (subr: Subr): Uint8Array => {
    cff.stream.pos = subr.offset;
    return cff.stream.readBuffer(subr.length);
  };

  const run = (code: Uint8Array): void => {
    if (++depth > 10) throw new Unsupported('subroutines nested more than 10 deep');
    let i = 0;
    while (i < code.length && !ended) {
      const b0 = code[i]!;
      const at = out.length;
      if (b0 >= 32 || b0 === 28) {
        // An operand: 1, 2, 3 or 5 bytes.
        let value: number;
        let size: number;
        if (b0 === 28) {
          value = ((code[i + 1]! << 24) | (code[i + 2]! << 16)) >> 16;
          size = 3;
        } else if (b0 <= 246) {
          value = b0 - 139;
          size = 1;
        } else if (b0 <= 250) {
          value = (b0 - 247) * 256 + code[i + 1]! + 108;
          size = 2;
        } else if (b0 <= 254) {
          value = -(b0 - 251) * 256 - code[i + 1]! - 108;
          size = 2;
        } else {
          value = ((code[i + 1]! << 24) | (code[i + 2]! << 16) | (code[i + 3]! << 8) | code[i + 4]!) / 65536;
          size = 5;
        }
        if (i + size > code.length) throw new Unsupported('operand cut short');
        for (let k = 0; k < size; k++) out.push(code[i + k]!);
        stack.push({ at, value });
        i += size;
        continue;
      }
      switch (b0) {
        case 10: // callsubr
        case 29: {
          // callgsubr
          const n = stack.pop();
          if (!n || !Number.isInteger(n.value)) throw new Unsupported('subroutine number is not a plain number');
          out.length = n.at;
          const subrs = b0 === 10 ? local : global;
          const subr = subrs[n.value + bias(subrs)];
          if (!subr) throw new Unsupported(`subroutine ${n.value} is missing`);
          run(read(subr));
          i++;
          continue;
        }
        case 11: // return
          depth--;
          return;
        case 14: // endchar
          out.push(b0);
          ended = true;
          depth--;
          return;
        case 1: // hstem
        case 3: // vstem
        case 18: // hstemhm
        case 23: // vstemhm
          stems += stack.length >> 1;
          out.push(b0);
          stack.length = 0;
          i++;
          continue;
        case 19: // hintmask
        case 20: {
          // cntrmask: operands before it are an implied vstem
          stems += stack.length >> 1;
          const bytes = (stems + 7) >> 3;
          if (i + 1 + bytes > code.length) throw new Unsupported('hint mask cut short');
          for (let k = 0; k <= bytes; k++) out.push(code[i + k]!);
          stack.length = 0;
          i += 1 + bytes;
          continue;
        }
        case 12: {
          const b1 = code[i + 1];
          // Only flex (35–37, 34) is path drawing; the rest of the escaped operators compute on the stack.
          if (b1 === undefined || b1 < 34 || b1 > 37) throw new Unsupported(`escaped operator 12 ${b1}`);
          out.push(b0, b1);
          stack.length = 0;
          i += 2;
          continue;
        }
        default:
          out.push(b0);
          stack.length = 0;
          i++;
      }
    }
    depth--;
  };

  run(cff.getCharString(gid));
  return Uint8Array.from(out);
}

/** Makes fontkit's CFF subset (what createSubset() gives for a CFF font) write its glyphs without subroutines (see above). */
export function withoutSubroutines(cffSubset: object): void {
  const subset = cffSubset as CffSubset;
  const encode = subset.encode.bind(subset);
  subset.encode = () => {
    let flat: Uint8Array[];
    try {
      flat = subset.glyphs.map((gid) => flattenCharString(subset.cff, gid));
    } catch (err) {
      if (err instanceof Unsupported) return encode();
      throw err;
    }
    subset.subsetCharstrings = () => {
      subset.charstrings = flat;
      subset.gsubrs = [];
    };
    // As fontkit does, minus the local subroutines.
    subset.subsetFontdict = (topDict: TopDict) => {
      const fdArray: FontDict[] = [];
      const fds: number[] = [];
      const index = new Map<number, number>();
      for (const gid of subset.glyphs) {
        const fd = subset.cff.fdForGlyph(gid);
        if (fd == null) continue;
        let k = index.get(fd);
        if (k === undefined) {
          const dict = { ...subset.cff.topDict.FDArray![fd]! };
          delete dict.FontName;
          if (dict.Private) dict.Private = { ...dict.Private, Subrs: null };
          fdArray.push(dict);
          k = fdArray.length - 1;
          index.set(fd, k);
        }
        fds.push(k);
      }
      topDict.FDArray = fdArray;
      topDict.FDSelect = { version: 0, fds };
    };
    subset.createCIDFontdict = (topDict: TopDict) => {
      topDict.FDArray = [{ Private: subset.cff.topDict.Private ? { ...subset.cff.topDict.Private, Subrs: null } : null }];
      topDict.FDSelect = { version: 3, nRanges: 1, ranges: [{ first: 0, fd: 0 }], sentinel: flat.length };
    };
    return encode();
  };
}
