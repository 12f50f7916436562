/**
 * One transcript PDF: a header (matter, conversation, participants, period), then the messages as
 * the chat showed them — bubbles left (received) and right (sent), sender, local and UTC time,
 * quoted replies, reactions, edit history, deletion markers, system events centred, attachment
 * names with image thumbnails and each attachment's own Bates number — and on every page a Bates
 * number and the confidentiality legend. A withheld message is a slip sheet: a page of its own
 * (so its Bates number is its own) saying who sent it when, and that the privilege log lists it
 * under that number. Layout is computed here (text.ts gives lines); pdfkit only draws. Redacted
 * spans are never handed to pdfkit: a labelled black box is drawn where they were.
 */
import PDFDocument from 'pdfkit';
import { APP_VERSION } from '../../version.ts';
import type { ConversationInfo, ProducedMessage } from '../data.ts';
import { isWhollyRedacted, redactText } from '../redaction-text.ts';
import type { TextSegment } from '../redaction-text.ts';
import { localTime, longDay, utcStamp } from '../time.ts';
import type { PageSize, ProductionDefinition } from '../types.ts';
import { ContentWriter } from './content.ts';
import { FACE_KEYS, ascender, face } from './fonts.ts';
import type { Style } from './fonts.ts';
import { boxLabel, layoutText, measure } from './text.ts';
import type { Paragraph } from './text.ts';

const PAGE: Record<PageSize, [number, number]> = { LETTER: [612, 792], A4: [595.28, 841.89] };
const MARGIN_X = 40;
const TOP = 40;
const FOOTER_H = 46;
const PAD_X = 9;
const PAD_Y = 6;
const BUBBLE_RATIO = 0.72;
const THUMB_W = 180;
const THUMB_H = 140;

const C = {
  text: '#111b21',
  muted: '#667781',
  incoming: '#f0f2f5',
  outgoing: '#d9fdd3',
  unknown: '#e7f0fd',
  border: '#c9d1d6',
  system: '#fff3c4',
  day: '#e1f3fb',
  quoteBar: '#06cf9c',
  legend: '#b00020',
  redaction: '#000000',
  reaction: '#ffffff',
  context: '#8a6d00',
};
const NAME_COLOURS = ['#1f7aec', '#c2185b', '#2e7d32', '#6a1b9a', '#ef6c00', '#00838f', '#5d4037', '#ad1457', '#283593', '#558b2f'];

/** What a reply quote shows: the parent's sender and (redacted) text when it is in the production. */
export interface ReplyInfo {
  produced: boolean;
  sender: string | null;
  segments: TextSegment[];
}

export interface TranscriptHeader {
  conversation: ConversationInfo;
  /** The review unit's day, or null for a whole-conversation transcript. */
  day: string | null;
  part: number;
  parts: number;
  messages: number;
  contextMessages: number;
  firstAt: number;
  lastAt: number;
}

export interface ImageRef {
  width: number;
  height: number;
}

/** The PDFDocument methods pdfkit has but its typings lack. */
interface PdfDocInternals {
  openImage(src: Buffer): ImageRef;
  /** Writes one piece of the file (a line of text, or bytes) and counts it into the xref offsets. */
  _write(data: string | Uint8Array): void;
  _offset: number;
  read(): Buffer | null;
}

interface Block {
  height: number;
  draw(x: number, y: number, width: number): void;
}

/** Text known only once the unit is numbered (Bates numbers), drawn where layout left room for it. */
interface Stamp {
  page: number;
  x: number;
  y: number;
  width: number;
  size: number;
  style: Style;
  color: string;
  align: 'left' | 'center';
  text(pages: readonly string[], attachments: readonly string[]): string;
}

export class TranscriptPdf {
  readonly doc: PDFKit.PDFDocument;
  private readonly content: ContentWriter;
  private readonly def: ProductionDefinition;
  private readonly header: TranscriptHeader;
  private readonly pageW: number;
  private readonly pageH: number;
  private readonly contentW: number;
  private readonly bottom: number;
  private y = 0;
  private pageNo = 0;
  private lastDay: string | null = null;
  private lastSender: string | null = null;
  /** Where the current page's body began: a slip sheet needs a page to itself. */
  private pageTop = 0;
  private readonly stamps: Stamp[] = [];
  /** Collected attachments drawn so far: the k-th gets the unit's k-th attachment Bates number. */
  private attachmentNo = 0;
  private readonly images = new Map<string, ImageRef | null>();
  /** The file's bytes as pdfkit writes them (finish() returns them whole). */
  private readonly output: Uint8Array[] = [];
  /** The fill colour in effect in the page's content stream (shapes are filled inside save/restore, which keeps it). */
  private fillNow: string | null = null;

  constructor(def: ProductionDefinition, documentTime: number, header: TranscriptHeader) {
    this.def = def;
    this.header = header;
    [this.pageW, this.pageH] = PAGE[def.pageSize];
    this.contentW = this.pageW - 2 * MARGIN_X;
    this.bottom = this.pageH - FOOTER_H;
    const when = new Date(documentTime);
    const title = `${header.conversation.name}${header.day ? ` — ${header.day}` : ''}${header.parts > 1 ? ` (part ${header.part} of ${header.parts})` : ''}`;
    this.doc = new PDFDocument({
      size: def.pageSize, margin: 0, autoFirstPage: false, bufferPages: true, compress: true, pdfVersion: '1.7', displayTitle: true, lang: 'und',
      info: {
        Title: title, Author: 'Holdfast', Subject: `Production ${def.name} — ${def.matter}`,
        Creator: `Holdfast ${APP_VERSION}`, Producer: `Holdfast ${APP_VERSION} (PDFKit)`, CreationDate: when, ModDate: when,
      },
    });
    // pdfkit pushes every piece of the file (each line of every object) through its Readable
    // stream; they are collected here instead, which spares a stream chunk per line. What the
    // constructor wrote (the file header) is still in the stream's buffer.
    const internals = this.doc as unknown as PdfDocInternals;
    const head = internals.read();
    if (head) this.output.push(head);
    internals._write = (data: string | Uint8Array) => {
      const bytes = typeof data === 'string' ? Buffer.from(`${data}\n`, 'latin1') : data;
      this.output.push(bytes);
      internals._offset += bytes.length;
    };
    // pdfkit 0.20 takes an already-parsed fontkit font (its typings still say path or buffer): the faces are parsed once per process.
    for (const key of FACE_KEYS) this.doc.registerFont(key, face(key) as unknown as Buffer);
    this.content = new ContentWriter(this.doc);
    this.newPage();
    this.drawHeader();
    this.pageTop = TOP; // the header is content: a slip sheet does not share its page
  }

  // ---- pages ----

  private newPage(): void {
    this.doc.addPage({ size: this.def.pageSize, margin: 0 });
    this.pageNo++;
    this.fillNow = null;
    this.y = TOP;
    if (this.pageNo > 1) {
      const h = this.header;
      const left = `${h.conversation.name}${h.day ? ` · ${h.day}` : ''} · continued`;
      this.drawLine([{ kind: 'text', text: left }], MARGIN_X, this.y, this.contentW * 0.7, 7.5, 'regular', C.muted, 'left', 1);
      this.drawLine([{ kind: 'text', text: this.def.matter }], MARGIN_X + this.contentW * 0.7, this.y, this.contentW * 0.3, 7.5, 'regular', C.muted, 'right', 1);
      this.y += 16;
      this.doc.moveTo(MARGIN_X, this.y - 4).lineTo(this.pageW - MARGIN_X, this.y - 4).lineWidth(0.4).strokeColor(C.border).stroke();
    }
    this.pageTop = this.y;
  }

  /** Pages drawn so far. */
  get pageCount(): number {
    return this.pageNo;
  }

  /**
   * Stamps every page's footer — legend, page number and its Bates number — and ends the document;
   * returns the file. Footers come last so that transcripts can be laid out in parallel and
   * numbered in order after.
   */
  finish(bates: readonly string[], attachments: readonly string[]): Buffer {
    if (bates.length !== this.pageNo) throw new Error(`${bates.length} Bates numbers for ${this.pageNo} pages`);
    if (attachments.length !== this.attachmentNo) throw new Error(`${attachments.length} attachment Bates numbers for ${this.attachmentNo} attachments`);
    const byPage = new Map<number, Stamp[]>();
    for (const s of this.stamps) byPage.set(s.page, [...(byPage.get(s.page) ?? []), s]);
    for (let i = 0; i < this.pageNo; i++) {
      this.doc.switchToPage(i);
      this.fillNow = null;
      this.drawFooter(i + 1, bates[i]!);
      for (const s of byPage.get(i) ?? []) this.drawLine([{ kind: 'text', text: s.text(bates, attachments) }], s.x, s.y, s.width, s.size, s.style, s.color, s.align, 1);
    }
    this.content.flush();
    this.doc.end(); // pdfkit writes the whole file here, synchronously
    const file = Buffer.concat(this.output);
    if (file.subarray(-6).toString('latin1') !== '%%EOF\n') throw new Error('pdfkit did not finish the file');
    return file;
  }

  private drawFooter(pageNo: number, bates: string): void {
    const y = this.pageH - 30;
    this.doc.moveTo(MARGIN_X, y - 6).lineTo(this.pageW - MARGIN_X, y - 6).lineWidth(0.4).strokeColor(C.border).stroke();
    this.drawLine([{ kind: 'text', text: this.def.legend }], MARGIN_X, y, this.contentW * 0.45, 8, 'bold', C.legend, 'left', 1);
    this.drawLine([{ kind: 'text', text: `Page ${pageNo} of ${this.pageNo}` }], MARGIN_X + this.contentW * 0.4, y, this.contentW * 0.2, 7.5, 'regular', C.muted, 'center', 1);
    this.drawLine([{ kind: 'text', text: bates }], MARGIN_X + this.contentW * 0.6, y, this.contentW * 0.4, 9, 'bold', C.text, 'right', 1);
  }

  private ensure(height: number): void {
    if (this.y + height > this.bottom) this.newPage();
  }

  // ---- text ----

  /** Lays out and draws text; returns the height used. */
  private drawLine(segments: TextSegment[], x: number, y: number, width: number, size: number, style: Style, color: string, align: 'left' | 'right' | 'center' | 'auto', maxLines?: number): number {
    const para = layoutText(segments, { size, style, maxWidth: width, ...(maxLines !== undefined ? { maxLines } : {}) });
    this.drawParagraph(para, x, y, width, size, color, align);
    return para.lines.length * lineHeight(size);
  }

  private drawParagraph(para: Paragraph, x: number, y: number, width: number, size: number, color: string, align: 'left' | 'right' | 'center' | 'auto'): void {
    const lh = lineHeight(size);
    const doc = this.doc;
    let top = y;
    for (const line of para.lines) {
      const side = align === 'auto' ? (para.rtl ? 'right' : 'left') : align;
      let ax = side === 'left' ? x : side === 'right' ? x + width - line.width : x + (width - line.width) / 2;
      const baseline = top + size * 1.12;
      for (const atom of line.atoms) {
        if (atom.box !== null) {
          doc.save().roundedRect(ax + 1, top + 1, atom.width - 2, lh - 1.5, 1.5).fill(C.redaction).restore();
          const label = boxLabel(atom.box);
          const ls = size * 0.8;
          this.setFill('#ffffff');
          this.content.text('sans-bold', ls, label, ax + 4, top + (lh - ls * 1.36) / 2);
        } else if (atom.text.trim() !== '') {
          this.setFill(color);
          this.content.text(atom.face, size, atom.text, ax, baseline - (ascender(atom.face) * size) / 1000);
        }
        ax += atom.width;
      }
      top += lh;
    }
  }

  private setFill(color: string): void {
    if (this.fillNow !== color) {
      this.doc.fillColor(color);
      this.fillNow = color;
    }
  }

  // ---- header ----

  private drawHeader(): void {
    const h = this.header;
    const tz = this.def.timeZone;
    this.y += this.drawLine([{ kind: 'text', text: h.conversation.name }], MARGIN_X, this.y, this.contentW, 15, 'bold', C.text, 'left', 2) + 2;
    const first = localTime(h.firstAt, tz);
    const last = localTime(h.lastAt, tz);
    const rows: [string, string][] = [
      ['Matter', this.def.matter],
      ['Conversation', `${h.conversation.platform} ${h.conversation.kind} · ${h.conversation.participants.length} participants · conversation ${h.conversation.id}`],
      ['Participants', h.conversation.participants.map((p) => (p.display === p.value ? p.value : `${p.display} (${p.value})`)).join(', ') || '—'],
      ['Period', `${first.day} ${first.time} – ${last.day} ${last.time} (${tz}) · ${utcStamp(h.firstAt)} – ${utcStamp(h.lastAt)}`],
      ['Review unit', h.day ? `${longDay(h.day)} (${tz})${h.parts > 1 ? `, part ${h.part} of ${h.parts}` : ''}` : 'Whole conversation'],
      ['Messages', `${h.messages}${h.contextMessages ? ` (${h.contextMessages} shown as context, marked)` : ''}`],
      ['Custodians', h.conversation.custodians.join(', ') || '—'],
      ['Production', `${this.def.name} · Bates number on every page`],
    ];
    const labelW = 78;
    for (const [label, value] of rows) {
      this.drawLine([{ kind: 'text', text: label }], MARGIN_X, this.y, labelW, 8.5, 'bold', C.muted, 'left', 1);
      this.y += this.drawLine([{ kind: 'text', text: value }], MARGIN_X + labelW, this.y, this.contentW - labelW, 8.5, 'regular', C.text, 'left', 4);
    }
    this.y += 6;
    this.doc.moveTo(MARGIN_X, this.y).lineTo(this.pageW - MARGIN_X, this.y).lineWidth(0.8).strokeColor(C.border).stroke();
    this.y += 12;
  }

  // ---- messages ----

  /** Registers an image for thumbnails (JPEG or PNG bytes); false when pdfkit cannot read it. */
  addImage(sha256: string, data: Buffer): boolean {
    if (this.images.has(sha256)) return this.images.get(sha256) !== null;
    let ref: ImageRef | null = null;
    try {
      ref = (this.doc as unknown as PdfDocInternals).openImage(data);
    } catch {
      ref = null;
    }
    this.images.set(sha256, ref);
    return ref !== null;
  }

  /** Collected attachments drawn so far (each needs a Bates number when the unit is written). */
  get attachmentCount(): number {
    return this.attachmentNo;
  }

  /** Draws one message; returns the index (0-based) of the page it starts on. */
  addMessage(m: ProducedMessage, reply: ReplyInfo | null): number {
    const local = localTime(m.sentAtMs, this.def.timeZone);
    if (m.withheld) {
      this.lastDay = local.day;
      this.lastSender = null;
      return this.slipSheet(m);
    }
    if (local.day !== this.lastDay) {
      this.daySeparator(local.day);
      this.lastDay = local.day;
      this.lastSender = null;
    }
    if (m.kind === 'system') {
      const start = this.systemEvent(m);
      this.lastSender = null;
      return start;
    }
    const start = this.bubble(m, reply);
    this.lastSender = m.senderHandle;
    return start;
  }

  /** A page of its own for a withheld message; what follows starts on the next page. */
  private slipSheet(m: ProducedMessage): number {
    if (this.y > this.pageTop) this.newPage();
    const page = this.pageNo - 1;
    const t = localTime(m.sentAtMs, this.def.timeZone);
    const w = this.contentW * 0.8;
    const x = MARGIN_X + (this.contentW - w) / 2;
    const top = this.y + 120;
    const h = 230;
    this.doc.save().rect(x, top, w, h).lineWidth(2).strokeColor(C.legend).stroke().restore();
    let y = top + 24;
    y += this.drawLine([{ kind: 'text', text: 'WITHHELD — PRIVILEGED' }], x, y, w, 20, 'bold', C.legend, 'center', 1) + 14;
    const rows: [string, string][] = [
      ['Sender', m.sender ?? m.senderHandle ?? (m.kind === 'system' ? '(system)' : 'Unknown sender')],
      ['Sent', `${t.day} ${t.time} ${t.offset} (${this.def.timeZone}) · ${utcStamp(m.sentAtMs)}`],
      ['Conversation', `${this.header.conversation.name} (${this.header.conversation.platform})`],
    ];
    for (const [label, value] of rows) {
      this.drawLine([{ kind: 'text', text: label }], x + 24, y, 90, 10, 'bold', C.muted, 'left', 1);
      y += this.drawLine([{ kind: 'text', text: value }], x + 114, y, w - 138, 10, 'regular', C.text, 'left', 2) + 4;
    }
    this.drawLine([{ kind: 'text', text: 'Bates number' }], x + 24, y, 90, 10, 'bold', C.muted, 'left', 1);
    this.stamps.push({ page, x: x + 114, y, width: w - 138, size: 10, style: 'bold', color: C.text, align: 'left', text: (pages) => pages[page]! });
    y += lineHeight(10) + 4;
    this.drawLine([{ kind: 'text', text: 'Privilege log' }], x + 24, y, 90, 10, 'bold', C.muted, 'left', 1);
    this.stamps.push({ page, x: x + 114, y, width: w - 138, size: 10, style: 'regular', color: C.text, align: 'left', text: (pages) => `entry ${pages[page]!}` });
    y += lineHeight(10) + 16;
    this.drawLine([{ kind: 'text', text: 'This message is withheld as privileged. It is listed in the accompanying privilege log under this page\u2019s Bates number.' }],
      x + 24, y, w - 48, 9, 'italic', C.muted, 'center', 3);
    this.y = this.bottom; // whatever follows starts on the next page
    return page;
  }

  private daySeparator(day: string): void {
    const size = 8;
    const label = longDay(day);
    const w = measure('sans-bold', label, size) + 20;
    const h = lineHeight(size) + 6;
    this.ensure(h + 12);
    this.y += 4;
    const x = MARGIN_X + (this.contentW - w) / 2;
    this.doc.save().roundedRect(x, this.y, w, h, h / 2).fill(C.day).restore();
    this.drawLine([{ kind: 'text', text: label }], x, this.y + 3, w, size, 'bold', C.muted, 'center', 1);
    this.y += h + 8;
  }

  private systemEvent(m: ProducedMessage): number {
    const size = 8.5;
    const maxW = this.contentW * 0.75;
    const segs = redactText(m.text || m.systemType || 'system event', m.redactions);
    const para = layoutText(segs, { size, style: 'italic', maxWidth: maxW - 24 });
    const stamp = this.stampText(m);
    const stampW = Math.min(maxW - 24, measure('sans', stamp, 7));
    const w = Math.max(para.width, stampW) + 24;
    const h = para.lines.length * lineHeight(size) + lineHeight(7) + 8;
    this.ensure(h + 8);
    const x = MARGIN_X + (this.contentW - w) / 2;
    const start = this.pageNo - 1;
    this.doc.save().roundedRect(x, this.y, w, h, 6).fill(C.system).restore();
    if (m.context) this.contextOutline(x, this.y, w, h);
    this.drawParagraph(para, x + 12, this.y + 4, w - 24, size, C.muted, 'center');
    this.drawLine([{ kind: 'text', text: stamp }], x + 12, this.y + 4 + para.lines.length * lineHeight(size), w - 24, 7, 'regular', C.muted, 'center', 1);
    this.y += h + 8;
    return start;
  }

  private stampText(m: ProducedMessage): string {
    const t = localTime(m.sentAtMs, this.def.timeZone);
    return `${m.context ? 'CONTEXT · ' : ''}ID ${m.id} · ${t.time} ${t.offset} · ${utcStamp(m.sentAtMs)}`;
  }

  private contextOutline(x: number, y: number, w: number, h: number): void {
    this.doc.save().dash(3, { space: 2 }).roundedRect(x, y, w, h, 7).lineWidth(0.8).strokeColor(C.context).stroke().undash().restore();
  }

  private bubble(m: ProducedMessage, reply: ReplyInfo | null): number {
    const outgoing = m.direction === 'out';
    const maxInner = this.contentW * BUBBLE_RATIO - 2 * PAD_X;
    const whole = isWhollyRedacted(m.redactions);
    const blocks: Block[] = [];
    const widths: number[] = [];
    const text = (segments: TextSegment[], size: number, style: Style, color: string, maxLines?: number, indent = 0) => {
      const para = layoutText(segments, { size, style, maxWidth: maxInner - indent, ...(maxLines !== undefined ? { maxLines } : {}) });
      widths.push(para.width + indent);
      for (const line of para.lines) {
        const single: Paragraph = { lines: [line], rtl: para.rtl, width: line.width };
        blocks.push({ height: lineHeight(size), draw: (x, y, w) => this.drawParagraph(single, x + indent, y, w - indent, size, color, 'auto') });
      }
    };
    const gap = (h: number) => blocks.push({ height: h, draw: () => {} });

    // Sender (colour by sender, as group chats do).
    const sender = m.sender ?? m.senderHandle ?? 'Unknown sender';
    const nameColour = NAME_COLOURS[hashString(m.senderHandle ?? sender) % NAME_COLOURS.length]!;
    text([{ kind: 'text', text: m.context ? `${sender}  · context` : sender }], 8.5, 'bold', m.context ? C.context : nameColour, 1);
    if (m.forwardedFrom) text([{ kind: 'text', text: `↪ Forwarded from ${m.forwardedFrom}` }], 8, 'italic', C.muted, 1);

    if (reply && !whole) {
      const quote = reply.produced
        ? { who: reply.sender ?? 'Unknown sender', segs: reply.segments.length ? reply.segments : [{ kind: 'text' as const, text: '(no text)' }] }
        : { who: 'Reply', segs: [{ kind: 'text' as const, text: 'to a message that is not in this production' }] };
      const whoPara = layoutText([{ kind: 'text', text: quote.who }], { size: 8, style: 'bold', maxWidth: maxInner - 14, maxLines: 1 });
      const quotePara = layoutText(quote.segs, { size: 8, style: 'regular', maxWidth: maxInner - 14, maxLines: 2 });
      const h = (whoPara.lines.length + quotePara.lines.length) * lineHeight(8) + 6;
      widths.push(Math.max(whoPara.width, quotePara.width) + 14);
      blocks.push({
        height: h + 3,
        draw: (x, y, w) => {
          this.doc.save().fillOpacity(0.07).roundedRect(x, y, w, h, 4).fill('#000000').restore();
          this.doc.save().rect(x, y, 2.5, h).fill(C.quoteBar).restore();
          this.drawParagraph(whoPara, x + 9, y + 3, w - 14, 8, C.quoteBar, 'auto');
          this.drawParagraph(quotePara, x + 9, y + 3 + whoPara.lines.length * lineHeight(8), w - 14, 8, C.muted, 'auto');
        },
      });
    }

    if (whole) {
      text([{ kind: 'redacted', reason: whole.reason }], 10, 'regular', C.text);
      if (m.attachments.length || m.edits.length) text([{ kind: 'text', text: 'Attachments and edit history withheld with the message.' }], 7.5, 'italic', C.muted);
    } else {
      if (m.deleted) text([{ kind: 'text', text: '⊘ Deleted by the sender' }], 8.5, 'italic', C.legend, 1);
      const segs = redactText(m.text, m.redactions);
      if (segs.length) text(segs, 10, m.deleted ? 'italic' : 'regular', m.deleted ? C.muted : C.text);
      for (const a of m.attachments) {
        const size = a.size !== null ? ` · ${humanSize(a.size)}` : '';
        const line = a.sha256 ? `📎 ${a.name}${size}${a.mime ? ` · ${a.mime}` : ''}` : `📎 ${a.name} · not collected${a.missingReason ? `: ${a.missingReason}` : ''}`;
        gap(2);
        text([{ kind: 'text', text: line }], 8.5, 'regular', C.text);
        const img = a.sha256 ? this.images.get(a.sha256) : null;
        if (img) {
          const scale = Math.min(THUMB_W / img.width, THUMB_H / img.height, 1.5);
          const tw = img.width * scale;
          const th = img.height * scale;
          widths.push(Math.min(tw, maxInner));
          blocks.push({
            height: th + 4,
            draw: (x, y) => {
              this.doc.image(img as unknown as Buffer, x, y + 2, { width: tw, height: th });
            },
          });
        }
        if (a.sha256) {
          text([{ kind: 'text', text: `SHA-256 ${a.sha256}` }], 6, 'regular', C.muted, 1);
          const k = this.attachmentNo++;
          const size = 8;
          widths.push(measure('sans-bold', `Produced natively as ${this.def.bates.prefix}${'0'.repeat(this.def.bates.width + 1)}`, size));
          blocks.push({
            height: lineHeight(size),
            draw: (x, y, w) => this.stamps.push({ page: this.pageNo - 1, x, y, width: w, size, style: 'bold', color: C.text, align: 'left', text: (_p, atts) => `Produced natively as ${atts[k]!}` }),
          });
        }
      }
      if (m.edits.length || m.edited) {
        gap(2);
        if (m.redactions.length) text([{ kind: 'text', text: 'Edited · earlier versions withheld (the message is partly redacted)' }], 7.5, 'italic', C.muted);
        else {
          text([{ kind: 'text', text: m.edits.length ? `Edited · ${m.edits.length} earlier version${m.edits.length > 1 ? 's' : ''}:` : 'Edited' }], 7.5, 'italic', C.muted);
          for (const e of m.edits) {
            const when = e.editedAt ? ` (${utcStamp(Date.parse(e.editedAt))})` : '';
            text([{ kind: 'text', text: `${e.seq + 1}. ${e.text}${when}` }], 8, 'regular', C.muted, 6, 6);
          }
        }
      }
    }
    gap(1);
    text([{ kind: 'text', text: this.stampText(m) }], 6.5, 'regular', C.muted, 2);

    const reactions = m.reactions.map((r) => `${r.value} ${r.sender ?? ''}${r.removed ? ' (removed)' : ''}`.trim());
    const reactPara = reactions.length && !whole ? layoutText([{ kind: 'text', text: reactions.join('   ') }], { size: 8, style: 'regular', maxWidth: maxInner, maxLines: 3 }) : null;

    const innerW = Math.min(maxInner, Math.max(60, ...widths));
    const bubbleW = innerW + 2 * PAD_X;
    const x = outgoing ? MARGIN_X + this.contentW - bubbleW : MARGIN_X;
    const fill = outgoing ? C.outgoing : m.direction === 'in' ? C.incoming : C.unknown;
    const contentH = blocks.reduce((a, b) => a + b.height, 0);
    const reactH = reactPara ? reactPara.lines.length * lineHeight(8) + 6 : 0;
    const spacing = this.lastSender === m.senderHandle ? 4 : 9;
    const pageRoom = this.bottom - (TOP + 16);
    const total = contentH + 2 * PAD_Y + reactH;
    this.y += spacing;
    if (this.y + total > this.bottom && total <= pageRoom) this.newPage();
    const start = this.pageNo - 1;

    // Draw page by page: a bubble taller than the room left is continued on the next page.
    let i = 0;
    while (i < blocks.length) {
      if (this.y + PAD_Y * 2 + blocks[i]!.height > this.bottom) this.newPage();
      let j = i;
      let h = 0;
      while (j < blocks.length && this.y + 2 * PAD_Y + h + blocks[j]!.height <= this.bottom) h += blocks[j++]!.height;
      if (j === i) {
        h = blocks[j]!.height;
        j++;
      }
      const segH = h + 2 * PAD_Y;
      this.doc.save().roundedRect(x, this.y, bubbleW, segH, 7).fill(fill).restore();
      if (m.context) this.contextOutline(x, this.y, bubbleW, segH);
      let by = this.y + PAD_Y;
      for (let k = i; k < j; k++) {
        blocks[k]!.draw(x + PAD_X, by, innerW);
        by += blocks[k]!.height;
      }
      this.y += segH;
      i = j;
    }
    if (reactPara) {
      if (this.y + reactH > this.bottom) this.newPage();
      const rw = reactPara.width + 12;
      const rx = outgoing ? x + bubbleW - rw - 6 : x + 6;
      this.doc.save().roundedRect(rx, this.y + 1, rw, reactH - 2, 6).fillAndStroke(C.reaction, C.border).restore();
      this.drawParagraph(reactPara, rx + 6, this.y + 3, rw - 12, 8, C.text, 'left');
      this.y += reactH;
    }
    return start;
  }

}

function lineHeight(size: number): number {
  return size * 1.42;
}

function hashString(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

export function humanSize(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}
