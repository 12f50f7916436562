/**
 * A minimal Unicode PST writer, from Microsoft's [MS-PST] specification, for generated test sources:
 * NDB layer (header with CRCs, one data block per node, subnode SLBLOCKs, two-level BBT and NBT
 * B-trees of 512-byte pages), LTP layer (heap-on-node, BTH, property contexts, table contexts) and
 * the messaging layer (message store, name-to-id map, root folder, folders with hierarchy, contents
 * and FAI tables, messages with recipient and attachment tables and attachment objects).
 * Limits, enough for fixtures: every heap fits one block (8,176 bytes), no XBLOCKs, no AMap pages
 * (fAMapValid is 0, which tells Outlook to rebuild them), no encryption (bCryptMethod 0).
 */

// ---- [MS-PST] 5.3: CRC-32 without the final inversion, initial value 0.
const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[i] = c >>> 0;
  }
  return t;
})();

export function pstCrc(buf: Buffer): number {
  let crc = 0;
  for (const b of buf) crc = (CRC_TABLE[(crc ^ b) & 0xff]! ^ (crc >>> 8)) >>> 0;
  return crc >>> 0;
}

/** [MS-PST] 5.5: the signature of a block or page from its file offset and id. */
function computeSig(ib: bigint, bid: bigint): number {
  const x = ib ^ bid;
  return Number(((x >> 16n) ^ x) & 0xffffn);
}

// ---- Property types and values.
export const PT = { SHORT: 0x0002, LONG: 0x0003, BOOLEAN: 0x000b, UNICODE: 0x001f, SYSTIME: 0x0040, BINARY: 0x0102 } as const;

export interface Prop {
  id: number;
  type: number;
  value: number | boolean | string | Buffer | Date;
}

const FILETIME_EPOCH = 11644473600000n;

function valueBytes(p: Prop): Buffer {
  switch (p.type) {
    case PT.UNICODE:
      return Buffer.from(String(p.value), 'utf16le');
    case PT.BINARY:
      return p.value as Buffer;
    case PT.SYSTIME: {
      const b = Buffer.alloc(8);
      b.writeBigUInt64LE((BigInt((p.value as Date).getTime()) + FILETIME_EPOCH) * 10000n);
      return b;
    }
    default: {
      const b = Buffer.alloc(4);
      if (p.type === PT.BOOLEAN) b.writeUInt8(p.value ? 1 : 0);
      else if (p.type === PT.SHORT) b.writeInt16LE(Number(p.value));
      else b.writeInt32LE(Number(p.value));
      return b;
    }
  }
}

const inline = (type: number) => type === PT.SHORT || type === PT.LONG || type === PT.BOOLEAN;

// ---- LTP: heap-on-node ([MS-PST] 2.3.1), one block.
class Heap {
  private readonly allocs: Buffer[] = [];

  add(b: Buffer): number {
    this.allocs.push(b);
    return this.allocs.length << 5;
  }

  build(clientSig: number, hidUserRoot: number): Buffer {
    let size = 12;
    const starts: number[] = [];
    for (const a of this.allocs) {
      starts.push(size);
      size += a.length;
    }
    const ibHnpm = size + (size % 2);
    const map = Buffer.alloc(4 + 2 * (this.allocs.length + 1));
    map.writeUInt16LE(this.allocs.length, 0);
    starts.forEach((s, i) => map.writeUInt16LE(s, 4 + 2 * i));
    map.writeUInt16LE(size, 4 + 2 * this.allocs.length);
    const head = Buffer.alloc(12);
    head.writeUInt16LE(ibHnpm, 0);
    head[2] = 0xec;
    head[3] = clientSig;
    head.writeUInt32LE(hidUserRoot, 4);
    const out = Buffer.concat([head, ...this.allocs, Buffer.alloc(ibHnpm - size), map]);
    if (out.length > 8176) throw new Error(`heap of ${out.length} bytes does not fit one block (this writer has no multi-block heaps)`);
    return out;
  }

  /**
   * A BTH ([MS-PST] 2.3.2) of sorted records; returns the HID of its header. The header is the heap's
   * first allocation (HID 0x20), where Outlook puts it and where readers look for it.
   */
  bth(cbKey: number, cbEnt: number, records: Buffer[]): number {
    const h = this.allocs[0]!;
    h[0] = 0xb5;
    h[1] = cbKey;
    h[2] = cbEnt;
    h[3] = 0;
    h.writeUInt32LE(records.length ? this.add(Buffer.concat(records)) : 0, 4);
    return 0x20;
  }

  constructor() {
    this.allocs.push(Buffer.alloc(8));
  }
}

/** A property context ([MS-PST] 2.3.3): a BTH of (property id → type, value or HID). */
export function propertyContext(props: Prop[]): Buffer {
  const heap = new Heap();
  const records = [...props].sort((a, b) => a.id - b.id).map((p) => {
    const r = Buffer.alloc(8);
    r.writeUInt16LE(p.id, 0);
    r.writeUInt16LE(p.type, 2);
    const bytes = valueBytes(p);
    if (inline(p.type)) bytes.copy(r, 4);
    else r.writeUInt32LE(bytes.length ? heap.add(bytes) : 0, 4);
    return r;
  });
  const root = heap.bth(2, 6, records);
  return heap.build(0xbc, root);
}

export interface Column {
  id: number;
  type: number;
}

const cellSize = (type: number) => (type === PT.SYSTIME ? 8 : type === PT.SHORT ? 2 : type === PT.BOOLEAN ? 1 : 4);

/** A table context ([MS-PST] 2.3.4). Each row: its row id (a NID) and values by property id. */
export function tableContext(columns: Column[], rows: { rowId: number; values: Map<number, Prop['value']> }[]): Buffer {
  const heap = new Heap();
  const all: Column[] = [{ id: 0x67f2, type: PT.LONG }, { id: 0x67f3, type: PT.LONG }, ...columns];
  const placed = new Map<number, { ib: number; cb: number; bit: number; type: number }>();
  let ib = 0;
  // Row id and version first, then 8-, 4-, 2- and 1-byte cells, then the cell existence bitmap.
  const order = [all[0]!, all[1]!, ...[8, 4, 2, 1].flatMap((cb) => columns.filter((c) => cellSize(c.type) === cb))];
  order.forEach((c, i) => {
    const cb = cellSize(c.type);
    placed.set(c.id, { ib, cb, bit: i, type: c.type });
    ib += cb;
  });
  const end = (cb: number) => Math.max(...order.filter((c) => cellSize(c.type) >= cb).map((c) => placed.get(c.id)!.ib + cellSize(c.type)), 0);
  const tci4 = end(4);
  const tci2 = Math.max(tci4, end(2));
  const tci1 = Math.max(tci2, end(1));
  const tciBm = tci1 + Math.ceil(all.length / 8);
  const rowBufs = rows.map((row, n) => {
    const r = Buffer.alloc(tciBm);
    const set = (id: number, value: Prop['value']) => {
      const at = placed.get(id)!;
      const bytes = valueBytes({ id, type: at.type, value });
      if (at.type === PT.UNICODE || at.type === PT.BINARY) r.writeUInt32LE(bytes.length ? heap.add(bytes) : 0, at.ib);
      else bytes.copy(r, at.ib, 0, at.cb);
      r[tci1 + (at.bit >> 3)]! |= 0x80 >> (at.bit & 7);
    };
    set(0x67f2, row.rowId);
    set(0x67f3, n + 1);
    for (const [id, v] of row.values) if (placed.has(id)) set(id, v);
    return r;
  });
  const index = [...rows.map((row, n) => ({ id: row.rowId, n }))].sort((a, b) => a.id - b.id).map(({ id, n }) => {
    const b = Buffer.alloc(8);
    b.writeUInt32LE(id, 0);
    b.writeUInt32LE(n, 4);
    return b;
  });
  const hidRowIndex = heap.bth(4, 4, index);
  const hnidRows = rowBufs.length ? heap.add(Buffer.concat(rowBufs)) : 0;
  const info = Buffer.alloc(22 + 8 * all.length);
  info[0] = 0x7c;
  info[1] = all.length;
  info.writeUInt16LE(tci4, 2);
  info.writeUInt16LE(tci2, 4);
  info.writeUInt16LE(tci1, 6);
  info.writeUInt16LE(tciBm, 8);
  info.writeUInt32LE(hidRowIndex, 10);
  info.writeUInt32LE(hnidRows, 14);
  const tag = (c: Column) => ((c.id << 16) | c.type) >>> 0;
  [...all].sort((a, b) => tag(a) - tag(b)).forEach((c, i) => {
    const at = placed.get(c.id)!;
    const o = 22 + 8 * i;
    info.writeUInt32LE(tag(c), o);
    info.writeUInt16LE(at.ib, o + 4);
    info[o + 6] = at.cb;
    info[o + 7] = at.bit;
  });
  return heap.build(0x7c, heap.add(info));
}

// ---- NDB layer.
interface Node {
  nid: number;
  parent: number;
  bidData: bigint;
  bidSub: bigint;
}

export interface SubNode {
  nid: number;
  data: Buffer;
  sub?: SubNode[];
}

export class NdbWriter {
  private readonly blocks: { bid: bigint; data: Buffer }[] = [];
  private readonly nodes: Node[] = [];
  private nextBid = 1n;

  private block(data: Buffer, internal = false): bigint {
    if (data.length > 8176) throw new Error(`block of ${data.length} bytes (this writer has no XBLOCKs)`);
    const bid = (this.nextBid++ << 2n) | (internal ? 2n : 0n);
    this.blocks.push({ bid, data });
    return bid;
  }

  /** A subnode tree ([MS-PST] 2.2.2.8.3.3): one SLBLOCK of (nid, data block, nested subnodes). */
  private subnodes(list: SubNode[]): bigint {
    if (!list.length) return 0n;
    const entries = [...list].sort((a, b) => a.nid - b.nid).map((s) => ({ nid: s.nid, data: this.block(s.data), sub: this.subnodes(s.sub ?? []) }));
    const b = Buffer.alloc(8 + 24 * entries.length);
    b[0] = 0x02;
    b[1] = 0;
    b.writeUInt16LE(entries.length, 2);
    entries.forEach((e, i) => {
      b.writeBigUInt64LE(BigInt(e.nid), 8 + 24 * i);
      b.writeBigUInt64LE(e.data, 16 + 24 * i);
      b.writeBigUInt64LE(e.sub, 24 + 24 * i);
    });
    return this.block(b, true);
  }

  node(nid: number, parent: number, data: Buffer, sub: SubNode[] = []): void {
    this.nodes.push({ nid, parent, bidData: this.block(data), bidSub: this.subnodes(sub) });
  }

  build(): Buffer {
    const parts: Buffer[] = [];
    let ib = 0x4400n;
    const bbt: { bid: bigint; ib: bigint; cb: number }[] = [];
    for (const { bid, data } of this.blocks) {
      const size = Math.ceil((data.length + 16) / 64) * 64;
      const b = Buffer.alloc(size);
      data.copy(b);
      const t = size - 16;
      b.writeUInt16LE(data.length, t);
      b.writeUInt16LE(computeSig(ib, bid), t + 2);
      b.writeUInt32LE(pstCrc(data), t + 4);
      b.writeBigUInt64LE(bid, t + 8);
      parts.push(b);
      bbt.push({ bid, ib, cb: data.length });
      ib += BigInt(size);
    }
    const pad = (512 - Number(ib % 512n)) % 512;
    parts.push(Buffer.alloc(pad));
    ib += BigInt(pad);
    let nextPage = 1n;
    const page = (entries: Buffer[], cbEnt: number, cEntMax: number, level: number, ptype: number): { bid: bigint; ib: bigint } => {
      const p = Buffer.alloc(512);
      entries.forEach((e, i) => e.copy(p, i * cbEnt));
      p[488] = entries.length;
      p[489] = cEntMax;
      p[490] = cbEnt;
      p[491] = level;
      const bid = nextPage++ << 2n;
      p[496] = ptype;
      p[497] = ptype;
      p.writeUInt16LE(computeSig(ib, bid), 498);
      p.writeUInt32LE(pstCrc(p.subarray(0, 496)), 500);
      p.writeBigUInt64LE(bid, 504);
      parts.push(p);
      const at = { bid, ib };
      ib += 512n;
      return at;
    };
    /** A two-level B-tree: leaves of `perLeaf` entries under one branch page (a single leaf when it fits). */
    const tree = (keys: bigint[], leafEntries: Buffer[], cbEnt: number, perLeaf: number, ptype: number) => {
      if (leafEntries.length <= perLeaf) return page(leafEntries, cbEnt, perLeaf, 0, ptype);
      const branch: Buffer[] = [];
      for (let i = 0; i < leafEntries.length; i += perLeaf) {
        const leaf = page(leafEntries.slice(i, i + perLeaf), cbEnt, perLeaf, 0, ptype);
        const e = Buffer.alloc(24);
        e.writeBigUInt64LE(keys[i]!, 0);
        e.writeBigUInt64LE(leaf.bid, 8);
        e.writeBigUInt64LE(leaf.ib, 16);
        branch.push(e);
      }
      if (branch.length > 20) throw new Error('too many nodes for a two-level B-tree');
      return page(branch, 24, 20, 1, ptype);
    };
    bbt.sort((a, b) => (a.bid < b.bid ? -1 : 1));
    const bbtRoot = tree(bbt.map((e) => e.bid), bbt.map((e) => {
      const b = Buffer.alloc(24);
      b.writeBigUInt64LE(e.bid, 0);
      b.writeBigUInt64LE(e.ib, 8);
      b.writeUInt16LE(e.cb, 16);
      b.writeUInt16LE(2, 18);
      return b;
    }), 24, 20, 0x80);
    const nodes = [...this.nodes].sort((a, b) => a.nid - b.nid);
    const nbtRoot = tree(nodes.map((n) => BigInt(n.nid)), nodes.map((n) => {
      const b = Buffer.alloc(32);
      b.writeBigUInt64LE(BigInt(n.nid), 0);
      b.writeBigUInt64LE(n.bidData, 8);
      b.writeBigUInt64LE(n.bidSub, 16);
      b.writeUInt32LE(n.parent, 24);
      return b;
    }), 32, 15, 0x81);
    const fileEof = ib;

    const h = Buffer.alloc(0x4400);
    h.write('!BDN', 0, 'latin1');
    h.write('SM', 8, 'latin1');
    h.writeUInt16LE(23, 10); // wVer: Unicode
    h.writeUInt16LE(19, 12); // wVerClient
    h[14] = 1;
    h[15] = 1;
    h.writeBigUInt64LE(nextPage << 2n, 32); // bidNextP
    h.writeUInt32LE(1, 40); // dwUnique
    for (let i = 0; i < 32; i++) h.writeUInt32LE(0x10000 + 0x400, 44 + 4 * i); // rgnid: next free NID index per type
    h.writeBigUInt64LE(fileEof, 184); // ibFileEof
    h.writeBigUInt64LE(nbtRoot.bid, 216);
    h.writeBigUInt64LE(nbtRoot.ib, 224);
    h.writeBigUInt64LE(bbtRoot.bid, 232);
    h.writeBigUInt64LE(bbtRoot.ib, 240);
    h[248] = 0; // fAMapValid: no AMap pages are written
    h.fill(0xff, 256, 512); // rgbFM, rgbFP
    h[512] = 0x80; // bSentinel
    h[513] = 0; // bCryptMethod: NDB_CRYPT_NONE
    h.writeBigUInt64LE(this.nextBid << 2n, 516); // bidNextB
    h.writeUInt32LE(pstCrc(h.subarray(8, 8 + 471)), 4);
    h.writeUInt32LE(pstCrc(h.subarray(8, 8 + 516)), 524);
    return Buffer.concat([h, ...parts]);
  }
}

// ---- Messaging layer ([MS-PST] 2.4).
export interface PstRecipient {
  name: string;
  email: string;
  /** 1 To, 2 Cc, 3 Bcc. */
  type: 1 | 2 | 3;
}

export interface PstAttachment {
  name: string;
  data: Buffer;
  mime?: string;
}

export interface PstMessage {
  messageClass: string;
  subject?: string;
  body?: string;
  senderName: string;
  senderEmail: string;
  submitTime: Date;
  deliveryTime?: Date;
  recipients: PstRecipient[];
  attachments?: PstAttachment[];
  conversationTopic?: string;
  internetMessageId?: string;
  inReplyTo?: string;
  /** Anything else, e.g. PR_CONVERSATION_INDEX. */
  extra?: Prop[];
}

export interface PstFolder {
  name: string;
  containerClass?: string;
  folders?: PstFolder[];
  messages?: PstMessage[];
}

const NID_MESSAGE_STORE = 0x21;
const NID_NAME_TO_ID_MAP = 0x61;
const NID_ROOT_FOLDER = 0x122;
const NID_ATTACHMENT_TABLE = 0x671;
const NID_RECIPIENT_TABLE = 0x692;
const TYPE = { folder: 0x02, message: 0x04, attachment: 0x05, hierarchy: 0x0d, contents: 0x0e, fai: 0x0f } as const;
const nidOf = (index: number, type: number) => ((index << 5) | type) >>> 0;

const HIERARCHY_COLUMNS: Column[] = [
  { id: 0x3001, type: PT.UNICODE }, { id: 0x3602, type: PT.LONG }, { id: 0x3603, type: PT.LONG }, { id: 0x360a, type: PT.BOOLEAN },
];
const CONTENTS_COLUMNS: Column[] = [
  { id: 0x001a, type: PT.UNICODE }, { id: 0x0037, type: PT.UNICODE }, { id: 0x0c1a, type: PT.UNICODE }, { id: 0x0e06, type: PT.SYSTIME },
];
const RECIPIENT_COLUMNS: Column[] = [
  { id: 0x0c15, type: PT.LONG }, { id: 0x0ffe, type: PT.LONG }, { id: 0x3001, type: PT.UNICODE }, { id: 0x3002, type: PT.UNICODE },
  { id: 0x3003, type: PT.UNICODE }, { id: 0x39fe, type: PT.UNICODE }, { id: 0x3900, type: PT.LONG },
];
const ATTACHMENT_COLUMNS: Column[] = [
  { id: 0x0e20, type: PT.LONG }, { id: 0x3704, type: PT.UNICODE }, { id: 0x3705, type: PT.LONG }, { id: 0x370b, type: PT.LONG },
];
const PROVIDER_UID = Buffer.from('b5e1c9a4d2f34c8e9a7b6c5d4e3f2a10', 'hex');

function entryId(nid: number): Buffer {
  const b = Buffer.alloc(24);
  PROVIDER_UID.copy(b, 4);
  b.writeUInt32LE(nid, 20);
  return b;
}

// GUIDs as stored: the first three fields little-endian ([MS-OXPROPS] property sets).
const PSETID_COMMON = Buffer.from('0820060000000000c000000000000046', 'hex');
const PSETID_ADDRESS = Buffer.from('0420060000000000c000000000000046', 'hex');
/** Named properties of PSETID_Address ([MS-OXPROPS] PidLidEmail1/2/3EmailAddress) and the property ids this writer maps them to. */
const NAMED_IDS = [{ lid: 0x8083, id: 0x8001 }, { lid: 0x8093, id: 0x8002 }, { lid: 0x80a3, id: 0x8003 }] as const;

export interface PstContactCard {
  /** PidTagDisplayName, also the item's subject as Outlook writes it. */
  name: string;
  givenName?: string;
  surname?: string;
  /** Email1/2/3 (PidLidEmail1EmailAddress…: named properties in PSETID_Address). */
  emails?: string[];
  /** PidTagMobileTelephoneNumber, PidTagBusinessTelephoneNumber, PidTagHomeTelephoneNumber. */
  mobile?: string;
  business?: string;
  home?: string;
  modified?: Date;
}

/** An Outlook contact item (message class IPM.Contact) for a Contacts folder. */
export function contactItem(c: PstContactCard): PstMessage {
  const text = (id: number, value: string | undefined): Prop[] => (value ? [{ id, type: PT.UNICODE, value }] : []);
  return {
    messageClass: 'IPM.Contact', subject: c.name, senderName: '', senderEmail: '', submitTime: c.modified ?? new Date('2024-01-01T00:00:00Z'), recipients: [],
    extra: [
      ...text(0x3001, c.name), ...text(0x3a06, c.givenName), ...text(0x3a11, c.surname),
      ...text(0x3a1c, c.mobile), ...text(0x3a08, c.business), ...text(0x3a09, c.home),
      ...(c.emails ?? []).slice(0, 3).flatMap((e, i) => text(NAMED_IDS[i]!.id, e)),
    ],
  };
}

/** A Unicode PST holding `folders` below the IPM subtree ("Top of Outlook data file"). */
export function writePst(displayName: string, folders: PstFolder[]): Buffer {
  const ndb = new NdbWriter();
  let nextFolder = 0x401;
  let nextMessage = 0x10000;

  ndb.node(NID_MESSAGE_STORE, 0, propertyContext([
    { id: 0x3001, type: PT.UNICODE, value: displayName }, { id: 0x0ff9, type: PT.BINARY, value: PROVIDER_UID },
    { id: 0x35e0, type: PT.BINARY, value: entryId(nidOf(0x401, TYPE.folder)) },
  ]));
  // The name-to-id map ([MS-PST] 2.4.7): the GUID stream, the numeric entries, a string stream
  // (readers require all three). Each entry: dwPropertyID, wGuid (index << 1; 3 = first stream
  // GUID), wPropIdx (its property id is 0x8000 + wPropIdx). pst-extractor never reads the last
  // entry (its loop stops 8 bytes early), so the unused PSETID_Common entry goes last.
  const entries = [...NAMED_IDS.map((n) => ({ lid: n.lid, guid: 4, idx: n.id - 0x8000 })), { lid: 0x8501, guid: 3, idx: 0 }];
  const entryStream = Buffer.alloc(8 * entries.length);
  entries.forEach((e, i) => {
    entryStream.writeUInt32LE(e.lid, 8 * i);
    entryStream.writeUInt16LE(e.guid << 1, 8 * i + 4);
    entryStream.writeUInt16LE(e.idx, 8 * i + 6);
  });
  ndb.node(NID_NAME_TO_ID_MAP, 0, propertyContext([
    { id: 0x0001, type: PT.LONG, value: 251 },
    { id: 0x0002, type: PT.BINARY, value: Buffer.concat([PSETID_COMMON, PSETID_ADDRESS]) },
    { id: 0x0003, type: PT.BINARY, value: entryStream }, { id: 0x0004, type: PT.BINARY, value: Buffer.alloc(8) },
  ]));

  const writeMessage = (m: PstMessage, parent: number): { nid: number; row: Map<number, Prop['value']> } => {
    const nid = nidOf(nextMessage++, TYPE.message);
    const attachments = m.attachments ?? [];
    const list = (t: number) => m.recipients.filter((r) => r.type === t).map((r) => r.name).join('; ');
    const props: Prop[] = [
      { id: 0x001a, type: PT.UNICODE, value: m.messageClass }, { id: 0x0037, type: PT.UNICODE, value: m.subject ?? '' },
      { id: 0x1000, type: PT.UNICODE, value: m.body ?? '' }, { id: 0x0c1a, type: PT.UNICODE, value: m.senderName },
      { id: 0x0c1f, type: PT.UNICODE, value: m.senderEmail }, { id: 0x0c1e, type: PT.UNICODE, value: 'SMTP' },
      { id: 0x0042, type: PT.UNICODE, value: m.senderName }, { id: 0x0065, type: PT.UNICODE, value: m.senderEmail },
      { id: 0x0039, type: PT.SYSTIME, value: m.submitTime }, { id: 0x0e06, type: PT.SYSTIME, value: m.deliveryTime ?? m.submitTime },
      { id: 0x0e07, type: PT.LONG, value: 1 | (attachments.length ? 0x10 : 0) }, { id: 0x0e1b, type: PT.BOOLEAN, value: attachments.length > 0 },
      { id: 0x0e04, type: PT.UNICODE, value: list(1) }, { id: 0x0e03, type: PT.UNICODE, value: list(2) }, { id: 0x0e02, type: PT.UNICODE, value: list(3) },
      ...(m.conversationTopic !== undefined ? [{ id: 0x0070, type: PT.UNICODE, value: m.conversationTopic }] : []),
      ...(m.internetMessageId ? [{ id: 0x1035, type: PT.UNICODE, value: m.internetMessageId }] : []),
      ...(m.inReplyTo ? [{ id: 0x1042, type: PT.UNICODE, value: m.inReplyTo }] : []),
      ...(m.extra ?? []),
    ];
    const sub: SubNode[] = [{
      nid: NID_RECIPIENT_TABLE,
      data: tableContext(RECIPIENT_COLUMNS, m.recipients.map((r, i) => ({
        rowId: i, values: new Map<number, Prop['value']>([[0x0c15, r.type], [0x0ffe, 6], [0x3001, r.name], [0x3002, 'SMTP'], [0x3003, r.email], [0x39fe, r.email], [0x3900, 0]]),
      }))),
    }];
    const attachNids = attachments.map((_, i) => nidOf(0x400 + i, TYPE.attachment));
    sub.push({
      nid: NID_ATTACHMENT_TABLE,
      data: tableContext(ATTACHMENT_COLUMNS, attachments.map((a, i) => ({
        rowId: attachNids[i]!, values: new Map<number, Prop['value']>([[0x0e20, a.data.length], [0x3704, a.name], [0x3705, 1], [0x370b, -1]]),
      }))),
    });
    attachments.forEach((a, i) => sub.push({
      nid: attachNids[i]!,
      data: propertyContext([
        { id: 0x3705, type: PT.LONG, value: 1 }, { id: 0x3704, type: PT.UNICODE, value: a.name }, { id: 0x3707, type: PT.UNICODE, value: a.name },
        { id: 0x3001, type: PT.UNICODE, value: a.name }, { id: 0x0e20, type: PT.LONG, value: a.data.length }, { id: 0x370b, type: PT.LONG, value: -1 },
        ...(a.mime ? [{ id: 0x370e, type: PT.UNICODE, value: a.mime }] : []), { id: 0x3701, type: PT.BINARY, value: a.data },
      ]),
    }));
    ndb.node(nid, parent, propertyContext(props), sub);
    return { nid, row: new Map<number, Prop['value']>([[0x001a, m.messageClass], [0x0037, m.subject ?? ''], [0x0c1a, m.senderName], [0x0e06, m.deliveryTime ?? m.submitTime]]) };
  };

  const writeFolder = (f: PstFolder, nid: number, parent: number): Map<number, Prop['value']> => {
    const children = (f.folders ?? []).map((child) => {
      const childNid = nidOf(nextFolder++, TYPE.folder);
      return { nid: childNid, row: writeFolder(child, childNid, nid) };
    });
    const messages = (f.messages ?? []).map((m) => writeMessage(m, nid));
    const index = nid >>> 5;
    ndb.node(nid, parent, propertyContext([
      { id: 0x3001, type: PT.UNICODE, value: f.name }, { id: 0x3602, type: PT.LONG, value: messages.length }, { id: 0x3603, type: PT.LONG, value: 0 },
      { id: 0x360a, type: PT.BOOLEAN, value: children.length > 0 }, ...(f.containerClass ? [{ id: 0x3613, type: PT.UNICODE, value: f.containerClass }] : []),
    ]));
    ndb.node(nidOf(index, TYPE.hierarchy), 0, tableContext(HIERARCHY_COLUMNS, children.map((c) => ({ rowId: c.nid, values: c.row }))));
    ndb.node(nidOf(index, TYPE.contents), 0, tableContext(CONTENTS_COLUMNS, messages.map((m) => ({ rowId: m.nid, values: m.row }))));
    ndb.node(nidOf(index, TYPE.fai), 0, tableContext(CONTENTS_COLUMNS, []));
    return new Map<number, Prop['value']>([[0x3001, f.name], [0x3602, messages.length], [0x3603, 0], [0x360a, children.length > 0]]);
  };

  // Root folder → IPM subtree → the given folders (the root is its own parent).
  const ipm = nidOf(nextFolder++, TYPE.folder);
  const ipmRow = writeFolder({ name: 'Top of Outlook data file', folders }, ipm, NID_ROOT_FOLDER);
  const rootIndex = NID_ROOT_FOLDER >>> 5;
  ndb.node(NID_ROOT_FOLDER, NID_ROOT_FOLDER, propertyContext([
    { id: 0x3001, type: PT.UNICODE, value: '' }, { id: 0x3602, type: PT.LONG, value: 0 }, { id: 0x3603, type: PT.LONG, value: 0 },
    { id: 0x360a, type: PT.BOOLEAN, value: true },
  ]));
  ndb.node(nidOf(rootIndex, TYPE.hierarchy), 0, tableContext(HIERARCHY_COLUMNS, [{ rowId: ipm, values: ipmRow }]));
  ndb.node(nidOf(rootIndex, TYPE.contents), 0, tableContext(CONTENTS_COLUMNS, []));
  ndb.node(nidOf(rootIndex, TYPE.fai), 0, tableContext(CONTENTS_COLUMNS, []));
  return ndb.build();
}
