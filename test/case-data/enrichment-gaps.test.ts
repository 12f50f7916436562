/**
 * Enrichment (languages, entities, text recognised in images), what the gap analysis walks and the
 * case's own facts, on both back ends.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { fp, importRun, onEachBackend } from './backends.ts';

onEachBackend((backend) => {
  test('languages and entities are saved once per message and viewed by kind and value; languages counted over the case', () => {
    const c = backend().fresh();
    try {
      const { messageIds } = importRun(c.data, 'a'.repeat(64), 'Alice', [
        { conversation: 'team', text: 'call +15550100', sentAt: 1000, fingerprint: fp(1) },
        { conversation: 'team', text: 'mail bob@example.com', sentAt: 2000, fingerprint: fp(2) },
        { conversation: 'side', text: 'call +15550100 again', sentAt: 3000, fingerprint: fp(3) },
      ]);
      const [a, b, d] = messageIds as [number, number, number];
      assert.deepEqual(c.data.read.enrichment.pendingMessages(0, 10).map((r) => r[0]), [a, b, d]);
      c.data.write.enrichment.save([
        { id: a, lang: 'en', entities: [{ kind: 'phone', value: '+15550100' }] },
        { id: b, lang: 'en', entities: [{ kind: 'email', value: 'bob@example.com' }] },
      ]);
      c.data.write.enrichment.save([{ id: a, lang: 'de', entities: [{ kind: 'phone', value: '+15550100' }] }, { id: d, lang: 'en', entities: [{ kind: 'phone', value: '+15550100' }] }]);
      assert.deepEqual(c.data.read.enrichment.pendingMessages(0, 10), []);
      assert.deepEqual(c.data.read.enrichment.languageCounts(), [{ value: 'en', count: 2 }, { value: 'de', count: 1 }]);
      const view = c.data.read.enrichment.entityView({ kind: 'phone' });
      assert.deepEqual(view.map((r) => [r.value, r.conversation, r.messages]), [['+15550100', 'team', 1], ['+15550100', 'side', 1]]);
      assert.deepEqual(c.data.read.enrichment.entityView({ value: 'bob@example.com' }).map((r) => r.kind), ['email']);
    } finally {
      c.close();
    }
  });

  test('text recognised in an image replaces the earlier one; pending images are those without it, or without it in the languages asked for', () => {
    const c = backend().fresh();
    try {
      const content = Buffer.from('png');
      const sha = createHash('sha256').update(content).digest('hex');
      c.data.write.blobContent.chunkWriter('staged')(0, content);
      c.data.write.blobContent.keepStaged('staged', { sha256: sha, size: content.length, mime: 'image/png', chunks: 1, runId: null });
      const { messageIds } = importRun(c.data, 'b'.repeat(64), 'Alice', [{ conversation: 'team', text: 'see', sentAt: 1000, fingerprint: fp(1), attachment: { name: 'scan.PNG', sha256: sha } }]);
      assert.equal(c.data.read.enrichment.pendingImageCount(), 1);
      const [image] = c.data.read.enrichment.pendingImages(0, 10);
      assert.equal(image?.sha256, sha);
      const text = { text: 'first', engine: 'ocr', engineVersion: '1', lang: 'eng', dataSha256: 'd'.repeat(64), confidence: 0.5 };
      c.data.write.enrichment.saveRecognised(image!.id, text, 1);
      c.data.write.enrichment.saveRecognised(image!.id, { ...text, text: 'second', confidence: 0.9 }, 2);
      assert.equal(c.data.read.enrichment.pendingImageCount(), 0);
      // Recognised with English only: pending for German and English, not for English again.
      assert.equal(c.data.read.enrichment.pendingImageCount('eng'), 0);
      assert.equal(c.data.read.enrichment.pendingImageCount('deu+eng'), 1);
      assert.deepEqual(c.data.read.enrichment.pendingImages(0, 10, 'deu+eng').map((i) => i.id), [image!.id]);
      assert.deepEqual(c.data.read.enrichment.pendingImages(image!.id, 10, 'deu+eng'), []);
      assert.deepEqual(c.data.read.enrichment.pendingImages(0, 10, 'eng'), []);
      assert.deepEqual(c.data.read.enrichment.recognisedTexts(), [[messageIds[0], 'second']]);
      const derived = c.data.read.enrichment.derivedTexts(messageIds);
      assert.deepEqual(derived.map((r) => [r.name, r.text, r.confidence]), [['scan.PNG', 'second', 0.9]]);
      assert.deepEqual(c.data.read.enrichment.derivedTextOfAttachment(image!.id), derived[0]);
    } finally {
      c.close();
    }
  });

  test('the gap analysis reads copies, dated messages, locators (with their messages), spans and their first and last messages in its order; case facts by key', () => {
    const c = backend().fresh();
    try {
      assert.deepEqual(c.data.read.gaps.caseSpan(), { from: null, to: null });
      const { messageIds, sourceId } = importRun(c.data, 'c'.repeat(64), 'Alice', [
        { conversation: 'team', text: 'late', sentAt: 3000, fingerprint: fp(1) },
        { conversation: 'team', text: 'early', sentAt: 1000, fingerprint: fp(2) },
      ]);
      const [late, early] = messageIds as [number, number];
      const [conv] = [...c.data.read.gaps.conversations().values()];
      assert.equal(conv?.name, 'team');
      assert.deepEqual([...c.data.read.gaps.custodianNames().values()], ['Alice']);
      assert.deepEqual([...c.data.read.gaps.datedMessages()], [[conv!.id, early, 1000], [conv!.id, late, 3000]]);
      assert.deepEqual([...c.data.read.gaps.messageCopies()].map((r) => r[1]), [early, late]);
      assert.deepEqual([...c.data.read.gaps.sourceLocators()].sort((a, b) => a[1].localeCompare(b[1])), [[sourceId, 'line 1', conv!.id, late], [sourceId, 'line 2', conv!.id, early]]);
      assert.deepEqual(c.data.read.gaps.sourceSpans().map((s) => [s.name, s.from, s.to, s.messages]), [['cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc.zip', 1000, 3000, 2]]);
      // A source's first and last dated message, by time: the one imported second comes first.
      assert.deepEqual(c.data.read.gaps.sourceWindowEnds(), [[sourceId, early, conv!.id, late, conv!.id]]);
      assert.deepEqual(c.data.read.gaps.caseSpan(), { from: 1000, to: 3000 });
      c.data.write.caseMeta.set('matter', 'one');
      c.data.write.caseMeta.set('matter', 'two');
      assert.equal(c.data.read.caseMeta.get('matter'), 'two');
      assert.equal(c.data.read.caseMeta.get('nothing'), undefined);
    } finally {
      c.close();
    }
  });
});
