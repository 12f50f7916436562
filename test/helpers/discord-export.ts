/**
 * DiscordChatExporter JSON exports, written the way the exporter writes them: `guild`, `channel`,
 * `dateRange`, `exportedAt`, `messages`, `messageCount`; media (when exported with --media) in a
 * `<file name>_Files/` folder beside the JSON, referenced by relative, percent-encoded paths.
 */
import fs from 'node:fs';
import path from 'node:path';

export const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4f60000000049454e44ae426082', 'hex');

const user = (id: string, name: string, nickname: string | null = name) => ({
  id, name, discriminator: '0000', nickname, color: null, isBot: false, roles: [], avatarUrl: `https://cdn.discordapp.com/embed/avatars/${id.slice(-1)}.png`,
});
export const ANN = user('111111111111111111', 'ann.lee', 'Ann');
export const BO = user('222222222222222222', 'bo_chen', null);

const message = (m: Record<string, unknown>) => ({
  type: 'Default', timestampEdited: null, callEndedTimestamp: null, isPinned: false, content: '', author: ANN,
  attachments: [], embeds: [], stickers: [], reactions: [], mentions: [], ...m,
});

/** A guild channel file with media, a thread file of it, and a DM file; returns the export folder. */
export function discordExport(dir: string): string {
  const root = path.join(dir, 'discord-export');
  fs.mkdirSync(root, { recursive: true });
  const guild = { id: '900000000000000001', name: 'Acme Traders', iconUrl: 'https://cdn.discordapp.com/icons/x.png' };
  const channelFile = 'Acme Traders - Text channels - deals [900000000000000010].json';
  const media = `${channelFile}_Files`;
  fs.mkdirSync(path.join(root, media));
  fs.writeFileSync(path.join(root, media, 'price chart-1A2B3.png'), PNG);
  const channel = {
    guild, channel: { id: '900000000000000010', type: 'GuildTextChat', categoryId: '900000000000000002', category: 'Text channels', name: 'deals', topic: 'pricing' },
    dateRange: { after: null, before: null }, exportedAt: '2024-03-10T12:00:00.000+00:00',
    messages: [
      message({ id: '1000', timestamp: '2024-03-04T10:00:00.123+00:00', content: 'Price is 42 🎯', reactions: [
        { emoji: { id: '', name: '👍', code: 'thumbsup', isAnimated: false, imageUrl: 'https://x/1f44d.svg' }, count: 3, users: [BO, ANN] },
        { emoji: { id: '777', name: 'stonks', code: 'stonks', isAnimated: false, imageUrl: 'https://x/777.png' }, count: 1, users: [BO] },
      ] }),
      message({ id: '1001', type: 'Reply', timestamp: '2024-03-04T11:30:00.000+01:00', timestampEdited: '2024-03-04T11:31:00.000+01:00', content: 'Agreed, see chart',
        author: BO, reference: { messageId: '1000', channelId: '900000000000000010', guildId: guild.id },
        attachments: [
          { id: '5001', url: `${encodeURIComponent(media)}/price%20chart-1A2B3.png`, fileName: 'price chart.png', fileSizeBytes: PNG.length },
          { id: '5002', url: 'https://cdn.discordapp.com/attachments/900000000000000010/5002/terms.pdf', fileName: 'terms.pdf', fileSizeBytes: 52_000 },
        ] }),
      message({ id: '1002', timestamp: '2024-03-04T10:40:00.000+00:00', content: 'https://example.org/q',
        embeds: [{ title: 'Q1 quote', url: 'https://example.org/q', description: 'Final numbers', fields: [{ name: 'Total', value: '42', isInline: false }], footer: { text: 'example.org' } }] }),
      message({ id: '1003', type: 'GuildMemberJoin', timestamp: '2024-03-04T10:50:00.000+00:00', content: 'Joined the server.', author: BO }),
      message({ id: '1004', type: 'ChannelPinnedMessage', timestamp: '2024-03-04T10:55:00.000+00:00', content: 'Pinned a message.',
        reference: { messageId: '1000', channelId: '900000000000000010', guildId: guild.id } }),
      message({ id: '1005', timestamp: 'yesterday', content: 'bad time' }),
    ],
    messageCount: 6,
  };
  fs.writeFileSync(path.join(root, channelFile), JSON.stringify(channel, null, 2));
  const thread = {
    guild, channel: { id: '900000000000000020', type: 'GuildPublicThread', categoryId: '900000000000000010', category: 'deals', name: 'Q1 follow-up', topic: null },
    dateRange: { after: null, before: null }, exportedAt: '2024-03-10T12:00:00.000+00:00',
    messages: [message({ id: '2000', timestamp: '2024-03-05T09:00:00.000+00:00', content: 'thread start', author: BO,
      reference: { messageId: '1002', channelId: '900000000000000010', guildId: guild.id } })],
    messageCount: 1,
  };
  fs.writeFileSync(path.join(root, 'Acme Traders - deals - Q1 follow-up [900000000000000020].json'), JSON.stringify(thread));
  const dm = {
    guild: { id: '0', name: 'Direct Messages', iconUrl: '' },
    channel: { id: '900000000000000030', type: 'DirectTextChat', categoryId: '0', category: 'Private', name: 'bo_chen', topic: null },
    dateRange: { after: null, before: null }, exportedAt: '2024-03-10T12:00:00.000+00:00',
    messages: [message({ id: '3000', timestamp: '2024-03-06T08:00:00+00:00', content: 'private hello', author: BO })],
    messageCount: 1,
  };
  fs.writeFileSync(path.join(root, 'Direct Messages - Private - bo_chen [900000000000000030].json'), JSON.stringify(dm, null, 2));
  return root;
}
