/** message_summary_info (edits, unsends), payload_data (link previews, app balloons) and chat.properties on real plists. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { FIXTURES } from '../helpers/case.ts';
import { parseSummaryInfo } from '../../src/importers/imessage/summary-info.ts';
import { balloonText } from '../../src/importers/imessage/payload.ts';
import { parseBinaryPlist, PlistError, unarchiveKeyed } from '../../src/importers/imessage/plists.ts';
import { editVersions } from '../../src/importers/imessage/reader.ts';
import { appleTime } from '../../src/importers/imessage/apple-time.ts';

const plist = (name: string) => new Uint8Array(fs.readFileSync(path.join(FIXTURES, 'imessage/plists', name)));
const iso = (ms: number) => new Date(ms).toISOString();

test('Edited.plist: four versions of part 0, oldest first, with their times in UTC', () => {
  const info = parseSummaryInfo(plist('Edited.plist'));
  assert.equal(info.partCount, 1);
  assert.deepEqual(info.unsentParts, []);
  const history = info.edits.get(0)!;
  assert.deepEqual(history.map((e) => e.text), ['First message  ', 'Edit 1', 'Edit 2', 'Edited message']);
  // d = 690513474.27... seconds after 2001-01-01T00:00:00Z.
  assert.equal(iso(history[0]!.at), '2022-11-19T01:17:54.273Z');
  assert.equal(iso(history[3]!.at), '2022-11-19T01:18:14.012Z');
  // The message now reads the last version; the earlier three are its edit history.
  assert.deepEqual(editVersions(info, undefined, 'Edited message').map((v) => v.text), ['First message  ', 'Edit 1', 'Edit 2']);
});

test('Deleted.plist: the only part was unsent', () => {
  const info = parseSummaryInfo(plist('Deleted.plist'));
  assert.equal(info.partCount, 1);
  assert.deepEqual(info.unsentParts, [0]);
  assert.equal(info.edits.size, 0);
});

test('EditedToLink.plist: part 1 edited into a link, with the GUID of the message the link became', () => {
  const info = parseSummaryInfo(plist('EditedToLink.plist'));
  assert.equal(info.partCount, 2);
  const history = info.edits.get(1)!;
  assert.deepEqual(history.map((e) => e.text), ['here we go!', 'https://github.com/ReagentX/imessage-exporter/issues/10']);
  assert.equal(history[1]!.guid, '292BF9C6-C9B8-4827-BE65-6EA1C9B5B384');
  assert.equal(history[0]!.guid, undefined);
});

test('MultiPartOneDeleted.plist: 4 parts, the last unsent', () => {
  const info = parseSummaryInfo(plist('MultiPartOneDeleted.plist'));
  assert.equal(info.partCount, 4);
  assert.deepEqual(info.unsentParts, [3]);
});

test('a summary that is not a plist is a PlistError, not a crash', () => {
  assert.throws(() => parseSummaryInfo(new Uint8Array(Buffer.from('not a plist at all'))), PlistError);
  assert.throws(() => parseSummaryInfo(plist('Edited.plist').subarray(0, 60)), PlistError);
});

test('payload_data: a link preview gives its URL and title; a game balloon its app and captions', () => {
  assert.equal(balloonText('com.apple.messages.URLBalloonProvider', plist('URL.plist')), 'https://chrissardegna.com\nChristopher Sardegna');
  assert.equal(
    balloonText('com.apple.messages.MSMessageExtensionBalloonPlugin:0000000000:com.gamerdelights.gamepigeon.ext', plist('Game.plist')),
    '[GamePigeon] Dots & Boxes — Your move.',
  );
  assert.equal(balloonText('com.apple.Handwriting.HandwritingProvider', null), '[Handwritten message]');
});

test('keyed archives resolve UIDs, classes, URLs and UUIDs', () => {
  const game = unarchiveKeyed(parseBinaryPlist(plist('Game.plist'))) as Record<string, unknown>;
  assert.equal(game.sessionIdentifier, '009612E4-00BB-A808-45F1-E8B7D5A6CF66');
  assert.equal(game.URL, 'data:?ver=48&data=pr3t3ndth3r3154b10b0fd4t4h3re=3');
  const link = unarchiveKeyed(parseBinaryPlist(plist('URL.plist'))) as Record<string, Record<string, unknown>>;
  assert.equal(link.$class as unknown, 'RichLink');
  assert.equal(link.richLinkMetadata!.$class, 'LPLinkMetadata');
  assert.equal(link.richLinkMetadata!.URL, 'https://chrissardegna.com/');
});

test('chat.properties plists parse', () => {
  const p1 = parseBinaryPlist(plist('ChatProp1.plist')) as Record<string, unknown>;
  assert.equal(p1.lastSeenMessageGuid, 'FF0615B9-C4AF-4BD8-B9A8-1B5F9351033F');
  const p2 = parseBinaryPlist(plist('ChatProp2.plist')) as Record<string, unknown>;
  assert.equal(p2.EnableReadReceiptForChat, true);
});

test('Apple times: nanoseconds on modern systems, seconds on old ones, told apart by magnitude', () => {
  assert.deepEqual(appleTime('760569924490443648'), { ms: Date.parse('2025-02-06T21:25:24.490Z'), precision: 'ms' });
  assert.deepEqual(appleTime(760569924), { ms: Date.parse('2025-02-06T21:25:24.000Z'), precision: 'second' });
  assert.deepEqual(appleTime(-31622400), { ms: Date.parse('2000-01-01T00:00:00.000Z'), precision: 'second' });
  assert.equal(appleTime(0), undefined);
  assert.equal(appleTime(null), undefined);
});
