/**
 * The search benchmark's queries, each in Holdfast's query language and in FTS5's, with the
 * filter FTS5 applies by a join (sender and date range). Every query is run the way a reviewer
 * sees it: exact total plus the page of the top 50 ranked hits (the text around the hits, marked,
 * the sender, the time). FTS5 is also timed stopping at the 50 ids and scores.
 */
import { START } from './corpus.ts';

export interface BenchQuery {
  name: string;
  holdfast: string;
  /** The same query for FTS5, where FTS5 has the operator (NEAR, phrase); none for fuzzy, stem. */
  fts?: string;
  filter?: { sender: string; from: number; to: number };
}

/** Midnight UTC, `offset` days after the corpus starts (after:/before: are whole days in the case's zone, UTC). */
const day = (offset: number) => Math.floor(START / 86_400_000) * 86_400_000 + offset * 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export const QUERIES: BenchQuery[] = [
  { name: 'word, common', holdfast: 'price', fts: 'price' },
  { name: 'word, rare', holdfast: 'kickback', fts: 'kickback' },
  { name: 'word, folded (zurich)', holdfast: 'zurich', fts: 'zurich' },
  { name: 'word, Cyrillic', holdfast: 'сделка', fts: 'сделка' },
  { name: 'AND, two words', holdfast: 'contract invoice', fts: 'contract AND invoice' },
  { name: 'AND, three words', holdfast: 'deal shipment tomorrow', fts: 'deal AND shipment AND tomorrow' },
  { name: 'phrase', holdfast: '"wire the money"', fts: '"wire the money"' },
  { name: 'prefix', holdfast: 'ship*', fts: 'ship*' },
  { name: 'OR + NOT', holdfast: '(bonus OR kickback) -offshore', fts: '(bonus OR kickback) NOT offshore' },
  // Proximity: w/N allows N - 1 words between, FTS5's NEAR(…, N) N words between.
  { name: 'proximity w/5', holdfast: 'price w/5 contract', fts: 'NEAR(price contract, 4)' },
  { name: 'proximity, rare w/3 common', holdfast: 'kickback w/3 money', fts: 'NEAR(kickback money, 2)' },
  { name: 'proximity, phrase w/10 word', holdfast: '"wire the money" w/10 offshore', fts: 'NEAR("wire the money" offshore, 9)' },
  {
    name: 'proximity, OR-groups w/10',
    holdfast: '(bonus OR kickback) w/10 (wire OR money)',
    fts: 'NEAR(bonus wire, 9) OR NEAR(bonus money, 9) OR NEAR(kickback wire, 9) OR NEAR(kickback money, 9)',
  },
  { name: 'proximity pre/3', holdfast: 'wire pre/3 money' },
  { name: 'fuzzy kickbak~', holdfast: 'kickbak~' },
  { name: 'fuzzy setlement~ (2 edits)', holdfast: 'setlement~' },
  { name: 'stem:shipments', holdfast: 'stem:shipments' },
  {
    name: 'word + from + dates',
    holdfast: `price from:"Alice Smith" after:${iso(day(5))} before:${iso(day(15))}`,
    fts: 'price',
    filter: { sender: 'Alice Smith', from: day(5), to: day(15) },
  },
];
