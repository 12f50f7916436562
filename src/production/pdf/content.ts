/**
 * Writes a document's page content directly, for speed, where pdfkit's general paths cost most:
 *  - text: runs arrive laid out (text.ts gives the face, position and string of each), so they are
 *    drawn from the shaped runs of fonts.ts instead of through pdfkit's text(), which would shape
 *    every string three more times (two measurements and the encoding) and parse its options. The
 *    glyphs go through pdfkit's embedded font (its subset, widths and ToUnicode map), so fonts are
 *    still embedded as subsets and text extracts as before;
 *  - content: pdfkit turns every operator into its own small byte array and keeps all of them until
 *    the document ends (transcripts buffer their pages for the Bates footers). Operators are kept
 *    as strings here and handed to the page as one chunk when drawing moves to another page;
 *  - colours: pdfkit formats a colour's components anew each time it is set (number-to-string of
 *    fractions such as 0.9411764705882353), and a transcript sets the same few colours thousands
 *    of times; the operators of each "#rrggbb" colour are made once.
 * This uses pdfkit internals (the document's current page, font objects and their subsets), which
 * the interfaces below name; pdfkit's version is pinned by the lock file.
 */
import type { Glyph } from 'fontkit';
import { shaped } from './fonts.ts';
import type { FaceKey } from './fonts.ts';

interface PdfPageInternals {
  height: number;
  fonts: Record<string, unknown>;
  write(chunk: Uint8Array): void;
}

interface EmbeddedFontInternals {
  id: string;
  /** In 1/1000 em. */
  ascender: number;
  /** 1000 / units per em. */
  scale: number;
  subset: { includeGlyph(glyphId: number): number };
  widths: (number | undefined)[];
  unicode: (number[] | undefined)[];
  ref(): unknown;
}

interface PdfDocInternals {
  page: PdfPageInternals;
  _setColorCore(color: unknown, stroke: boolean): boolean;
  _font: EmbeddedFontInternals;
  font(name: string): unknown;
  addContent(data: string | Uint8Array): unknown;
}

/** pdfkit's number format: at most six decimals. */
function num(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}

interface DocFont {
  pdf: EmbeddedFontInternals;
  /** Glyph id in the face → its 4-digit hex code in this document's subset. */
  codes: Map<number, string>;
  /** Words already drawn in this document whose glyphs need no adjustment or offset: their codes, joined. */
  plain: Map<string, string>;
}

const MAX_PLAIN_WORDS = 20_000;

export class ContentWriter {
  private readonly doc: PdfDocInternals;
  private readonly fonts = new Map<FaceKey, DocFont>();
  private page: PdfPageInternals | null = null;
  private ops: string[] = [];

  constructor(doc: PDFKit.PDFDocument) {
    this.doc = doc as unknown as PdfDocInternals;
    const d = this.doc;
    // Every operator pdfkit writes passes through addContent; the buffer follows the current page.
    d.addContent = (data: string | Uint8Array) => {
      if (d.page !== this.page) {
        this.flush();
        this.page = d.page;
      }
      if (typeof data === 'string') this.ops.push(data);
      else {
        this.flush();
        d.page.write(data);
      }
      return d;
    };
    const setColour = d._setColorCore.bind(d);
    const colours = new Map<string, [string, string]>();
    d._setColorCore = (color: unknown, stroke: boolean) => {
      if (typeof color !== 'string' || !/^#[0-9a-f]{6}$/i.test(color)) return setColour(color, stroke);
      const key = `${stroke ? 'S' : 'f'}${color}`;
      let ops = colours.get(key);
      if (!ops) {
        const rgb = parseInt(color.slice(1), 16);
        const parts = [rgb >> 16, (rgb >> 8) & 0xff, rgb & 0xff].map((c) => c / 255).join(' ');
        ops = stroke ? ['/DeviceRGB CS', `${parts} SCN`] : ['/DeviceRGB cs', `${parts} scn`];
        colours.set(key, ops);
      }
      d.addContent(ops[0]);
      d.addContent(ops[1]);
      return true;
    };
  }

  /** Hands the buffered operators to their page; call before the document ends. */
  flush(): void {
    if (this.page && this.ops.length) {
      this.ops.push('');
      this.page.write(Buffer.from(this.ops.join('\n'), 'latin1'));
    }
    this.ops = [];
  }

  private font(key: FaceKey): DocFont {
    let f = this.fonts.get(key);
    if (!f) {
      this.doc.font(key);
      f = { pdf: this.doc._font, codes: new Map(), plain: new Map() };
      this.fonts.set(key, f);
    }
    return f;
  }

  /** The glyph's code in the document's subset, adding it (with its width and text) on first use. */
  private code(f: DocFont, glyph: Glyph): string {
    let hex = f.codes.get(glyph.id);
    if (hex === undefined) {
      const pdf = f.pdf;
      const gid = pdf.subset.includeGlyph(glyph.id);
      hex = `0000${gid.toString(16)}`.slice(-4);
      f.codes.set(glyph.id, hex);
      if (pdf.widths[gid] == null) pdf.widths[gid] = glyph.advanceWidth * pdf.scale;
      if (pdf.unicode[gid] == null) pdf.unicode[gid] = glyph.codePoints;
    }
    return hex;
  }

  /**
   * Draws `text` in face `key` at `size` points with its top-left corner at (x, top) in pdfkit's
   * page coordinates (y downwards), on one line.
   */
  text(key: FaceKey, size: number, text: string, x: number, top: number): void {
    if (text.length === 0) return;
    const f = this.font(key);
    const pdf = f.pdf;
    const page = this.doc.page;
    if (page !== this.page) {
      this.flush();
      this.page = page;
    }
    page.fonts[pdf.id] ??= pdf.ref();
    const ops = this.ops;
    // pdfkit's page space runs y downwards (its pages start with a flipping `cm`); a text matrix
    // that flips y again sets glyphs upright at the baseline, without a save/transform/restore per run.
    const y = top + (pdf.ascender / 1000) * size;
    ops.push('BT', `1 0 0 -1 ${num(x)} ${num(y)} Tm`, `/${pdf.id} ${num(size)} Tf`);
    // The TJ array: runs of glyph codes, each followed by the adjustment after its last glyph (where
    // the shaped advance differs from the glyph's width); a glyph with an offset is placed on its own.
    const scale = size / 1000;
    let tj = '';
    let codes = '';
    let adjust = 0;
    let gx = x;
    let hadOffset = false;
    const segment = () => {
      if (codes) {
        tj += `${tj ? ' ' : ''}<${codes}> ${num(-adjust)}`;
        codes = '';
      }
    };
    const flush = () => {
      segment();
      if (tj) {
        ops.push(`[${tj}] TJ`);
        tj = '';
      }
    };
    // Shaped word by word and space by space: the runs text.ts measured, shared between strings.
    let from = 0;
    while (from < text.length) {
      let end = from + 1;
      if (text.charCodeAt(from) !== 0x20) while (end < text.length && text.charCodeAt(end) !== 0x20) end++;
      const word = text.slice(from, end);
      const run = shaped(key, word);
      from = end;
      const known = f.plain.get(word);
      if (known !== undefined) {
        // Every glyph advances by its own width, without offsets: the codes go in as they are.
        if (hadOffset && run.glyphs.length) {
          ops.push(`1 0 0 -1 ${num(gx)} ${num(y)} Tm`);
          hadOffset = false;
        }
        codes += known;
        if (run.glyphs.length) adjust = 0;
        for (let g = 0; g < run.glyphs.length; g++) gx += run.xAdvance[g]! * scale;
        continue;
      }
      let plain: string | null = '';
      for (let g = 0; g < run.glyphs.length; g++) {
        const code = this.code(f, run.glyphs[g]!);
        const advance = run.xAdvance[g]!;
        const dx = run.xOffset[g]!;
        const dy = run.yOffset[g]!;
        if (plain !== null) plain = dx || dy || advance !== run.glyphWidth[g] ? null : plain + code;
        if (dx || dy) {
          flush();
          ops.push(`1 0 0 -1 ${num(gx + dx * scale)} ${num(y - dy * scale)} Tm`);
          codes = code;
          adjust = advance - run.glyphWidth[g]!;
          flush();
          hadOffset = true;
        } else {
          if (hadOffset) {
            ops.push(`1 0 0 -1 ${num(gx)} ${num(y)} Tm`);
            hadOffset = false;
          }
          codes += code;
          adjust = advance - run.glyphWidth[g]!;
          if (adjust !== 0) segment();
        }
        gx += advance * scale;
      }
      if (plain !== null) {
        if (f.plain.size >= MAX_PLAIN_WORDS) f.plain.clear();
        f.plain.set(word, plain);
      }
    }
    flush();
    ops.push('ET');
  }
}
