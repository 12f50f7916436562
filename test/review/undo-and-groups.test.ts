/** Coding undo (audited, restoring exactly what the action changed) and single-choice tag groups enforced in the core. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tempDir } from '../helpers/case.ts';
import { listTags, tagMessages, undoTagChange, untagMessages } from '../../src/review/tags.ts';
import { createTagGroup, listTagGroups, updateTagGroup } from '../../src/review/tag-groups.ts';
import { chatter, writeExport } from './corpus.ts';
import { auditOf, codeOf, createCaseFile, importFile, withCase } from './helpers.ts';

const tagged = (s: Parameters<typeof listTags>[0], name: string): number[] =>
  s.db.prepare('SELECT mt.message_id FROM message_tags mt JOIN tags t ON t.id = mt.tag_id WHERE t.name = ? ORDER BY 1').pluck().all(name) as number[];

test('Responsive and Non-responsive exclude each other; undo restores both sides and is audited', async () => {
  const dir = tempDir();
  const caseFile = createCaseFile(dir);
  await importFile(caseFile, writeExport(dir, 'Desk', chatter({ start: Date.UTC(2024, 0, 1), count: 40, stepMs: 3_600_000, authors: ['Ann', 'Bo'], seed: 3 })), 'Ann');
  await withCase(caseFile, async (s) => {
    const ids = s.db.prepare("SELECT id FROM messages WHERE kind = 'message' ORDER BY id").pluck().all() as number[];
    const [group] = listTagGroups(s);
    assert.equal(group!.name, 'Responsiveness');
    assert.equal(group!.choice, 'single');
    assert.equal(group!.required, true);
    const first = tagMessages(s, { tag: 'Responsive', messageIds: ids.slice(0, 10) });
    assert.equal(first.changed, 10);
    const second = tagMessages(s, { tag: 'Non-responsive', messageIds: ids.slice(5, 15) });
    assert.equal(second.changed, 10);
    assert.equal(second.replaced, 5);
    assert.deepEqual(tagged(s, 'Responsive'), ids.slice(0, 5), 'never both on one message');
    assert.deepEqual(tagged(s, 'Non-responsive'), ids.slice(5, 15));

    const undone = undoTagChange(s, { change: second.change! });
    assert.equal(undone.changed, 10);
    assert.deepEqual(tagged(s, 'Responsive'), ids.slice(0, 10), 'the replaced tags came back');
    assert.deepEqual(tagged(s, 'Non-responsive'), []);
    const entry = auditOf(s, 'tag.undo').at(-1)!;
    assert.equal(entry.details.undoes, second.change);
    assert.deepEqual(entry.details.messageIds, ids.slice(5, 15));
    assert.equal(await codeOf(() => undoTagChange(s, { change: second.change! })), 'VALIDATION', 'an undo happens once');

    // Undoing a removal puts the rows back with their author and time.
    const before = s.db.prepare('SELECT * FROM message_tags ORDER BY message_id, tag_id').all();
    const removal = untagMessages(s, { tag: 'Responsive', messageIds: ids.slice(0, 3) });
    assert.equal(tagged(s, 'Responsive').length, 7);
    undoTagChange(s, { change: removal.change! });
    assert.deepEqual(s.db.prepare('SELECT * FROM message_tags ORDER BY message_id, tag_id').all(), before);
    assert.equal(untagMessages(s, { tag: 'Hot', messageIds: ids.slice(0, 3) }).change, null, 'nothing changed, nothing to undo');

    // A multi-choice group lets tags coexist; it cannot become single-choice while messages carry two of its tags.
    const tags = listTags(s);
    const issues = createTagGroup(s, { name: 'Issues', choice: 'multi', tagIds: tags.filter((t) => t.kind === 'issue').map((t) => t.id) });
    tagMessages(s, { tag: 'Hot', messageIds: ids.slice(0, 2) });
    tagMessages(s, { tag: 'Needs redaction', messageIds: ids.slice(0, 2) });
    assert.deepEqual(tagged(s, 'Hot'), ids.slice(0, 2));
    assert.equal(await codeOf(() => updateTagGroup(s, { groupId: issues.id, choice: 'single' })), 'VALIDATION');
    assert.ok(auditOf(s, 'tag.group.create').length === 1);
  });
});
