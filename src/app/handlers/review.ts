/** Tags, notes, holds, retention and identities: the reviewers' record (src/review), announced as it changes. */
import { createTag, deleteTag, listTags, tagBasis, tagMessages, undoTagChange, untagMessages, updateTag } from '../../review/tags.ts';
import { createTagGroup, deleteTagGroup, listTagGroups, updateTagGroup } from '../../review/tag-groups.ts';
import { markReviewed, reviewedAmong, reviewProgress } from '../../review/reviewed.ts';
import { addNote, deleteNote, editNote, listNotes } from '../../review/notes.ts';
import { createCodingField, deleteCodingField, fieldValues, listCodingFields, setFieldValue } from '../../review/coding-fields.ts';
import { createHold, getHold, listHolds, previewHold, releaseHold } from '../../review/holds.ts';
import { createRetentionPolicy, deleteRetentionPolicy, listRetentionPolicies, runRetention } from '../../review/retention.ts';
import { linkHandles, listIdentities, renameParticipant, suggestIdentities, unlinkHandle } from '../../review/identities.ts';
import type { CaseChange } from '../../api/events.ts';
import type { AppContext } from '../app-context.ts';
import type { NamespaceHandlers } from '../dispatch.ts';

/** Runs a change and tells the UI what it changed. */
async function changing<T>(ctx: AppContext, what: CaseChange, fn: () => T | Promise<T>): Promise<T> {
  const r = await fn();
  ctx.changed(what);
  return r;
}

export const tagsHandlers: NamespaceHandlers<'tags'> = {
  'tags.list': (ctx) => listTags(ctx.session()),
  'tags.create': (ctx, a) => changing(ctx, 'tags', () => createTag(ctx.session(), a)),
  'tags.update': (ctx, a) => changing(ctx, 'tags', () => updateTag(ctx.session(), a)),
  'tags.delete': (ctx, a) => changing(ctx, 'tags', () => deleteTag(ctx.session(), a)),
  'tags.apply': (ctx, a) =>
    changing(ctx, 'tags', () => tagMessages(ctx.session(), { ...a.target, tag: a.tag, ...(a.basis !== undefined ? { basis: a.basis } : {}), ...(a.create ? { create: true } : {}) })),
  'tags.remove': (ctx, a) => changing(ctx, 'tags', () => untagMessages(ctx.session(), { ...a.target, tag: a.tag })),
  'tags.basis': (ctx, a) => tagBasis(ctx.session(), a),
  'tags.undo': (ctx, a) => changing(ctx, 'tags', () => undoTagChange(ctx.session(), a)),
  'tags.groups': (ctx) => listTagGroups(ctx.session()),
  'tags.createGroup': (ctx, a) => changing(ctx, 'tags', () => createTagGroup(ctx.session(), a)),
  'tags.updateGroup': (ctx, a) => changing(ctx, 'tags', () => updateTagGroup(ctx.session(), a)),
  'tags.deleteGroup': (ctx, a) => changing(ctx, 'tags', () => deleteTagGroup(ctx.session(), a)),
};

export const reviewHandlers: NamespaceHandlers<'review'> = {
  // Announced as a tags change: whatever shows coding shows review status beside it.
  'review.mark': (ctx, a) => changing(ctx, 'tags', () => markReviewed(ctx.session(), { ...a.target, reviewed: a.reviewed })),
  'review.progress': (ctx, a) => reviewProgress(ctx.session(), a),
  'review.of': (ctx, a) => reviewedAmong(ctx.session(), a),
};

export const notesHandlers: NamespaceHandlers<'notes'> = {
  'notes.list': (ctx, a) => listNotes(ctx.session(), a),
  'notes.add': (ctx, a) => changing(ctx, 'notes', () => addNote(ctx.session(), a)),
  'notes.edit': (ctx, a) => changing(ctx, 'notes', () => editNote(ctx.session(), a)),
  'notes.delete': (ctx, a) => changing(ctx, 'notes', () => deleteNote(ctx.session(), a)),
};

export const fieldsHandlers: NamespaceHandlers<'fields'> = {
  'fields.list': (ctx) => listCodingFields(ctx.session()),
  'fields.create': (ctx, a) => changing(ctx, 'fields', () => createCodingField(ctx.session(), a)),
  'fields.delete': (ctx, a) => changing(ctx, 'fields', () => deleteCodingField(ctx.session(), a)),
  'fields.values': (ctx, a) => fieldValues(ctx.session(), a),
  'fields.set': (ctx, a) => changing(ctx, 'fields', () => setFieldValue(ctx.session(), { ...a.target, fieldId: a.fieldId, value: a.value })),
};

export const holdsHandlers: NamespaceHandlers<'holds'> = {
  'holds.create': (ctx, a) => changing(ctx, 'holds', () => createHold(ctx.session(), a)),
  'holds.preview': (ctx, a) => previewHold(ctx.session(), a),
  'holds.list': (ctx, a) => listHolds(ctx.session(), a),
  'holds.get': (ctx, a) => getHold(ctx.session(), a),
  'holds.release': (ctx, a) => changing(ctx, 'holds', () => releaseHold(ctx.session(), a)),
};

export const retentionHandlers: NamespaceHandlers<'retention'> = {
  'retention.run': async (ctx, a) => {
    const r = await runRetention(ctx.session(), a);
    if (!r.dryRun && r.purged > 0) ctx.changed('retention');
    return r;
  },
  'retention.policies': (ctx) => listRetentionPolicies(ctx.session()),
  'retention.createPolicy': (ctx, a) => changing(ctx, 'retention', () => createRetentionPolicy(ctx.session(), a)),
  'retention.deletePolicy': (ctx, a) => changing(ctx, 'retention', () => deleteRetentionPolicy(ctx.session(), a)),
};

export const identitiesHandlers: NamespaceHandlers<'identities'> = {
  'identities.list': (ctx, a) => listIdentities(ctx.session(), a),
  'identities.suggest': (ctx) => suggestIdentities(ctx.session()),
  'identities.link': (ctx, a) => changing(ctx, 'identities', () => linkHandles(ctx.session(), a)),
  'identities.unlink': (ctx, a) => changing(ctx, 'identities', () => unlinkHandle(ctx.session(), a)),
  'identities.rename': (ctx, a) => changing(ctx, 'identities', () => renameParticipant(ctx.session(), a)),
};
