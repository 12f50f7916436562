/**
 * Enrichment: every message not enriched yet gets its language and its entities. Runs after each
 * import (src/app/after-import.ts) over what the import brought, and on demand (`holdfast enrich`)
 * for cases imported before. Idempotent: a message with a language row is done.
 */
import type { CaseSession } from '../case/session.ts';
import { dataOf } from '../case/data/index.ts';
import type { EntityViewDTO } from '../api/analysis-dto.ts';
import { extractEntities } from './entities.ts';
import type { Entity } from './entities.ts';
import type { EntityKind } from './codes.ts';
import { detectLanguage, MIN_LENGTH } from './language.ts';

const BATCH = 5000;
/**
 * Chat repeats short texts ("ok see you tomorrow then", "Bob added +44 7700 900123"): each distinct one
 * up to this length is enriched once a run; longer texts rarely repeat word for word, and a lookup that
 * seldom hits costs more than it saves. Texts under the detector's minimum are not remembered:
 * their language costs nothing to find, and most have no entity.
 */
const REMEMBERED_LENGTH = 32;
const REMEMBERED_TEXTS = 100_000;

type Enriched = { lang: string; entities: Entity[] };

export function enrichPending(session: CaseSession, signal?: AbortSignal, onProgress?: (done: number) => void): { messages: number } {
  const { read, write } = dataOf(session);
  let after = 0;
  let done = 0;
  const known = new Map<string, Enriched>();
  const enrich = (text: string): Enriched => ({ lang: detectLanguage(text), entities: extractEntities(text) });
  const enrichText = (text: string): Enriched => {
    if (text.length > REMEMBERED_LENGTH || text.length < MIN_LENGTH) return enrich(text);
    let e = known.get(text);
    if (e === undefined) {
      if (known.size >= REMEMBERED_TEXTS) known.clear();
      known.set(text, (e = enrich(text)));
    }
    return e;
  };
  for (;;) {
    signal?.throwIfAborted();
    const rows = read.enrichment.pendingMessages(after, BATCH);
    if (!rows.length) break;
    write.enrichment.save(
      rows.map(([id, text, subject]) =>
        // The language is the body's; entities are looked for in the subject too.
        subject ? { id, lang: enrichText(text).lang, entities: extractEntities(`${subject}\n${text}`) } : { id, ...enrichText(text) },
      ),
    );
    after = rows.at(-1)![0];
    done += rows.length;
    onProgress?.(done);
  }
  return { messages: done };
}

/** Which entity appears in which conversations, with message counts. */
export function entities(session: CaseSession, f: { kind?: EntityKind; value?: string } = {}): EntityViewDTO[] {
  const out: EntityViewDTO[] = [];
  for (const r of dataOf(session).read.enrichment.entityView(f)) {
    let last = out.at(-1);
    if (last?.kind !== r.kind || last.value !== r.value) out.push((last = { kind: r.kind, value: r.value, messages: 0, conversations: [] }));
    last.messages += r.messages;
    last.conversations.push({ conversationId: r.conversation_id, conversation: r.conversation, messages: r.messages });
  }
  return out.sort((a, b) => b.messages - a.messages || a.kind.localeCompare(b.kind) || a.value.localeCompare(b.value));
}
