/**
 * Meta "Download your information" JSON exports (Messenger, Instagram), written the way Meta writes
 * them: every non-ASCII string as its UTF-8 bytes in \u00XX escapes, messages newest first, the
 * thread header (title, thread_type, thread_path) after the messages.
 */
import fs from 'node:fs';
import path from 'node:path';

/** The defect: UTF-8 bytes read as Latin-1 characters. */
export function mojibake(s: string): string {
  return Buffer.from(s, 'utf8').toString('latin1');
}

/** JSON with every non-ASCII character escaped, as Meta writes it. */
export function metaJson(value: unknown): string {
  const mangle = (v: unknown): unknown =>
    typeof v === 'string' ? mojibake(v)
      : Array.isArray(v) ? v.map(mangle)
        : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, mangle(x)])) : v;
  return JSON.stringify(mangle(value), null, 2).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export const JPEG = Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex');
export const PDF = Buffer.from('%PDF-1.4\n% contract\n');

const T0 = Date.UTC(2024, 2, 4, 10, 0, 0);

export interface WrittenExport {
  root: string;
  /** Files written, for zipping: relative path → bytes. */
  files: Map<string, Buffer>;
}

function writer(root: string): { w: (rel: string, data: string | Buffer) => void; files: Map<string, Buffer> } {
  const files = new Map<string, Buffer>();
  return {
    files,
    w(rel, data) {
      const full = path.join(root, rel);
      fs.mkdirSync(path.dirname(full), { recursive: true });
      const buf = Buffer.isBuffer(data) ? data : Buffer.from(data);
      fs.writeFileSync(full, buf);
      files.set(rel, buf);
    },
  };
}

/** A Messenger export (2024 layout) of two threads: a direct chat across two files, and a group. */
export function messengerExport(dir: string): WrittenExport {
  const root = path.join(dir, 'facebook-danalopez-2024-03-10-abc');
  const { w, files } = writer(root);
  const inbox = 'your_facebook_activity/messages/inbox';
  // message_2.json holds the older messages; each file lists newest first.
  w(`${inbox}/elirossi_10158/message_2.json`, metaJson({
    participants: [{ name: 'Eli Rossi' }, { name: 'Dana López' }],
    messages: [
      { sender_name: 'Eli Rossi', timestamp_ms: T0 + 60_000, content: 'Ciao Dana! Ça va? 👍', reactions: [{ reaction: '❤', actor: 'Dana López' }], is_geoblocked_for_viewer: false },
      { sender_name: 'Dana López', timestamp_ms: T0, content: 'First message', is_geoblocked_for_viewer: false },
    ],
    title: 'Eli Rossi', is_still_participant: true, thread_path: 'inbox/elirossi_10158', magic_words: [],
  }));
  w(`${inbox}/elirossi_10158/message_1.json`, metaJson({
    participants: [{ name: 'Eli Rossi' }, { name: 'Dana López' }],
    messages: [
      { sender_name: 'Dana López', timestamp_ms: T0 + 300_000, content: 'You unsent a message', is_unsent: true },
      { sender_name: 'Eli Rossi', timestamp_ms: T0 + 240_000, content: 'https://example.org/deal', share: { link: 'https://example.org/deal', share_text: 'The deal — final' } },
      { sender_name: 'Dana López', timestamp_ms: T0 + 180_000, files: [{ uri: `${inbox}/elirossi_10158/files/contract.pdf`, creation_timestamp: 1709546580 }],
        audio_files: [{ uri: `${inbox}/elirossi_10158/audio/voice_1.m4a`, creation_timestamp: 1709546580 }] },
      { sender_name: 'Eli Rossi', timestamp_ms: T0 + 120_000, photos: [{ uri: `${inbox}/elirossi_10158/photos/photo_1.jpg`, creation_timestamp: 1709546520 }],
        reactions: [{ reaction: '😂', actor: 'Dana López' }, { reaction: '👍', actor: 'Eli Rossi' }] },
      { sender_name: 'Eli Rossi', content: 'no time' },
    ],
    title: 'Eli Rossi', is_still_participant: true, thread_type: 'Regular', thread_path: 'inbox/elirossi_10158', magic_words: [],
  }));
  w(`${inbox}/elirossi_10158/photos/photo_1.jpg`, JPEG);
  w(`${inbox}/elirossi_10158/files/contract.pdf`, PDF);
  w(`${inbox}/projectteam_9876/message_1.json`, metaJson({
    participants: [{ name: 'Dana López' }, { name: 'Eli Rossi' }, { name: 'Zoë Ng' }],
    messages: [
      { sender_name: 'Zoë Ng', timestamp_ms: T0 + 3_600_000, content: 'Zoë left the group.', type: 'Unsubscribe', users: [{ name: 'Zoë Ng' }] },
      { sender_name: 'Dana López', timestamp_ms: T0 + 1_800_000, content: 'Kick-off 🚀 at 3' },
    ],
    title: 'Project Team ✨', is_still_participant: true, thread_type: 'RegularGroup', thread_path: 'inbox/projectteam_9876',
  }));
  w('personal_information/profile_information/profile_information.json', '{"profile_v2": {}}');
  return { root, files };
}

/** An Instagram export (2024 layout): one thread with a shared post and timed reactions. */
export function instagramExport(dir: string): WrittenExport {
  const root = path.join(dir, 'instagram-dana-2024-03-10');
  const { w, files } = writer(root);
  const thread = 'your_instagram_activity/messages/inbox/eli_17845';
  w(`${thread}/message_1.json`, metaJson({
    participants: [{ name: 'Eli' }, { name: 'Dana' }],
    messages: [
      { sender_name: 'Eli', timestamp_ms: T0 + 5000, content: 'Eli sent an attachment.', share: { link: 'https://www.instagram.com/p/Cabc/', share_text: 'Sunset 🌅', original_content_owner: 'someone' },
        reactions: [{ reaction: '🔥', actor: 'Dana', timestamp: 1709546500 }] },
      { sender_name: 'Dana', timestamp_ms: T0, content: 'hey', photos: [{ uri: 'https://scontent.cdninstagram.com/x.jpg', creation_timestamp: 1709546400 }] },
    ],
    title: 'Eli', is_still_participant: true, thread_path: 'inbox/eli_17845', magic_words: [],
  }));
  w('followers_and_following/following.json', '{"relationships_following": []}');
  return { root, files };
}
