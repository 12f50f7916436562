/**
 * Slack defect classes from real exports, on an export the test writes in Slack's layout: the
 * older singular `file`, `file_comment` (author comment.user), bots named only through users.json,
 * attachments not in the export, a message without a usable ts, and from: by any name.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { cliJson, tempDir } from '../helpers/case.ts';
import { createCase, importSource, messages } from './helpers.ts';

function writeExport(root: string): void {
  const put = (rel: string, value: unknown) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), JSON.stringify(value, null, 2));
  };
  put('users.json', [
    { id: 'U01', name: 'jdoe', real_name: 'Jane Doe', profile: { display_name: 'JD', real_name: 'Jane Doe', email: 'jane@example.com' } },
    { id: 'U02', name: 'bsmith', real_name: 'Bob Smith', profile: { display_name: '', real_name: 'Bob Smith' } },
    { id: 'U03', name: 'deploybot', is_bot: true, profile: { real_name: 'Deploy Bot', bot_id: 'B77' } },
  ]);
  put('channels.json', [{ id: 'C01', name: 'general', members: ['U01', 'U02'] }]);
  put('general/2016-03-01.json', [
    { type: 'message', user: 'U01', text: 'hello', ts: '1456822800.000002' },
    {
      type: 'message', subtype: 'file_share', user: 'U01', text: '<@U01> uploaded a file: <https://x.slack.com/files/jdoe/F01/plan.pdf|plan.pdf>',
      ts: '1456822900.000003', file: { id: 'F01', name: 'plan.pdf', title: 'plan.pdf', mimetype: 'application/pdf', size: 2048, url_private: 'https://files.slack.com/F01/plan.pdf' },
    },
    {
      type: 'message', subtype: 'file_comment', text: '<@U02> commented on <@U01>’s file <https://x.slack.com/files/jdoe/F01/plan.pdf|plan.pdf>: looks good',
      ts: '1456823000.000004', file: { id: 'F01', name: 'plan.pdf', mimetype: 'application/pdf' }, comment: { id: 'Fc01', user: 'U02', comment: 'looks good' },
    },
    { type: 'message', subtype: 'bot_message', bot_id: 'B77', text: 'Deployed v1.2', ts: '1456823100.000005' },
    { type: 'message', subtype: 'bot_message', bot_id: 'B88', username: 'jira', text: 'Issue created', ts: '1456823200.000006' },
    { type: 'message', user: 'U02', text: 'two files', ts: '1456823300.000007', files: [{ id: 'F02', name: 'a.png', mimetype: 'image/png' }, { id: 'F03', name: 'b.png', mode: 'tombstone' }] },
    { type: 'message', user: 'U02', text: 'my ts is broken', ts: 'not-a-ts' },
  ]);
}

test('Slack: singular file, file_comment author, bot names, every mentioned file recorded, nothing dropped, from: by any name', async () => {
  const root = path.join(tempDir('holdfast-slack-real-'), 'export');
  writeExport(root);
  const c = createCase();
  const r = await importSource(c, root);
  assert.equal(r.report.read, 7);
  assert.equal(r.report.imported, 7);
  assert.equal(r.report.skipped.count, 0);
  assert.equal(r.report.flagged.timeUnknown, 1);
  assert.equal(r.report.flagged.authorUnknown, 0);
  const list = await messages(c);
  const share = list.find((m) => m.rawTime === '1456822900.000003')!;
  assert.equal(share.sender, 'JD');
  assert.deepEqual(share.attachments.map((a) => [a.name, a.mime, a.sha256]), [['plan.pdf', 'application/pdf', null]]);
  assert.match(share.attachments[0]!.missingReason ?? '', /only links/);
  const comment = list.find((m) => m.rawTime === '1456823000.000004')!;
  assert.equal(comment.sender, 'Bob Smith', 'a file comment is by the commenter');
  assert.equal(comment.attachments.length, 1);
  assert.equal(list.find((m) => m.rawTime === '1456823100.000005')!.sender, 'Deploy Bot');
  assert.equal(list.find((m) => m.rawTime === '1456823200.000006')!.sender, 'jira');
  const two = list.find((m) => m.text === 'two files')!;
  assert.deepEqual(two.attachments.map((a) => a.name), ['a.png', 'b.png']);
  assert.ok(two.attachments.every((a) => a.missingReason));
  const broken = list.find((m) => m.text === 'my ts is broken')!;
  assert.equal(broken.timeSource, 'none');
  assert.equal(broken.sender, 'Bob Smith');
  const search = (q: string) => cliJson<{ hits: { messageId: number }[] }>(['search', c, q, '--json']).hits.map((h) => list.find((m) => m.id === h.messageId)!.text).sort();
  const janes = ['hello', share.text].sort();
  for (const name of ['"Jane Doe"', 'JD', 'jdoe', 'jane@example.com']) assert.deepEqual(search(`from:${name}`), janes, name);
  assert.deepEqual(search('from:"Deploy Bot"'), ['Deployed v1.2']);
});
