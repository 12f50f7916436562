/**
 * Google Takeout with Google Chat, written the way Takeout writes it: `Takeout/Google Chat/Groups/<DM|Space id>/`
 * with messages.json, group_info.json and the attachments, `Users/User <id>/user_info.json` for the account; dates as
 * English prose with U+202F before AM/PM.
 */
import fs from 'node:fs';
import path from 'node:path';

export const JPEG = Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex');
export const DANA = { name: 'Dana Lopez', email: 'Dana.Lopez@example.com', user_type: 'Human' };
export const ELI = { name: 'Eli Rossi', email: 'eli@example.org', user_type: 'Human' };
const ZOE = { name: 'Zoe Ng', email: 'zoe@example.org', user_type: 'Human' };

const NNBSP = '\u202f';

export function googleChatTakeout(dir: string): { root: string; files: Map<string, Buffer> } {
  const root = path.join(dir, 'takeout-20240310T120000Z-001');
  const files = new Map<string, Buffer>();
  const w = (rel: string, data: unknown) => {
    const full = path.join(root, rel);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    const buf = Buffer.isBuffer(data) ? data : Buffer.from(JSON.stringify(data, null, 2));
    fs.writeFileSync(full, buf);
    files.set(rel, buf);
  };
  const chat = 'Takeout/Google Chat';
  w(`${chat}/Users/User 1111/user_info.json`, { user: DANA, membership_info: [{ group_id: 'DM abc123', membership_state: 'MEMBER_JOINED' }] });
  w(`${chat}/Groups/DM abc123/group_info.json`, { members: [DANA, ELI] });
  w(`${chat}/Groups/DM abc123/messages.json`, { messages: [
    { creator: DANA, created_date: `Monday, March 4, 2024 at 10:12:33${NNBSP}AM UTC`, text: 'Morning Eli', topic_id: 'T1', message_id: 'abc123/T1/T1',
      reactions: [{ emoji: { unicode: '👍' }, reactor_emails: ['eli@example.org'] }] },
    { creator: ELI, created_date: 'Monday, March 4, 2024 at 1:05:00 PM UTC', text: 'Photo attached', topic_id: 'T2', message_id: 'abc123/T2/T2',
      updated_date: 'Monday, March 4, 2024 at 1:06:00 PM UTC',
      attached_files: [{ original_name: 'IMG_1.jpg', export_name: 'File-IMG_1.jpg' }, { original_name: 'scan.pdf', export_name: 'File-4926?account_id=3.pdf' },
        { original_name: 'gone.png', export_name: 'File-gone.png' }] },
    { creator: ELI, created_date: 'Monday, March 4, 2024 at 25:00:00 PM UTC', text: 'impossible time', topic_id: 'T3', message_id: 'abc123/T3/T3' },
    { creator: DANA, created_date: 'Tuesday, March 4, 2024 at 1:00:00 PM UTC', text: 'wrong weekday', topic_id: 'T4', message_id: 'abc123/T4/T4' },
  ] });
  w(`${chat}/Groups/DM abc123/File-IMG_1.jpg`, JPEG);
  w(`${chat}/Groups/DM abc123/File-4926_account_id=3.pdf`, Buffer.from('%PDF-1.4\n% scan\n'));
  w(`${chat}/Groups/Space AAAAxyz/group_info.json`, { name: 'Deal Room', members: [DANA, ELI, ZOE] });
  w(`${chat}/Groups/Space AAAAxyz/messages.json`, { messages: [
    { creator: ZOE, created_date: 'Friday, March 8, 2024 at 9:00:00 AM UTC', text: 'Kick-off', topic_id: 'S1', message_id: 'AAAAxyz/S1/S1',
      annotations: [{ start_index: 0, length: 0, drive_metadata: { id: '1DriveId', title: 'Term sheet', thumbnail_url: '' } }] },
    { creator: DANA, created_date: 'Friday, March 8, 2024 at 9:30:00 AM UTC', text: 'In thread', topic_id: 'S1', message_id: 'AAAAxyz/S1/M2',
      quoted_message_metadata: { creator: ZOE, text: 'Kick-off' } },
    { creator: { name: 'Meet bot', user_type: 'Bot' }, created_date: 'Friday, March 8, 2024 at 12:00:00 PM UTC', text: 'Meeting at noon', topic_id: 'S3', message_id: 'AAAAxyz/S3/S3' },
  ] });
  return { root, files };
}
