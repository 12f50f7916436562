/** Telegram service messages (`"type": "service"`): a readable line and a system type from `action`. */

export interface ServiceFields {
  action?: string;
  actor?: string | null;
  title?: string;
  members?: (string | null)[];
  message_id?: number;
  duration_seconds?: number;
  discard_reason?: string;
  period?: number;
  inviter?: string;
  emoticon?: string;
  game_title?: string;
  score?: number;
  amount?: number;
  currency?: string;
  reason_domain?: string;
}

/** The common vocabulary (types.ts) where one fits; otherwise the export's own action name. */
const SYSTEM_TYPE: Record<string, string> = {
  create_group: 'created',
  create_channel: 'created',
  migrate_to_supergroup: 'created',
  invite_members: 'join',
  join_group_by_link: 'join',
  join_group_by_request: 'join',
  remove_members: 'leave',
  edit_group_title: 'rename',
  set_messages_ttl: 'disappearing',
};

export function systemType(action: string | undefined): string {
  if (!action) return 'other';
  return SYSTEM_TYPE[action] ?? action;
}

function names(list: (string | null)[] | undefined): string {
  return (list ?? []).map((n) => n ?? '(deleted account)').join(', ');
}

export function describeService(m: ServiceFields, text: string): string {
  const who = m.actor ?? '(unknown)';
  let line: string;
  switch (m.action) {
    case 'create_group':
      line = `${who} created group "${m.title ?? ''}"${m.members?.length ? ` with ${names(m.members)}` : ''}`;
      break;
    case 'create_channel':
      line = `${who} created channel "${m.title ?? ''}"`;
      break;
    case 'invite_members':
      line = `${who} added ${names(m.members)}`;
      break;
    case 'remove_members':
      line = `${who} removed ${names(m.members)}`;
      break;
    case 'join_group_by_link':
      line = `${who} joined the group by link${m.inviter ? ` from ${m.inviter}` : ''}`;
      break;
    case 'join_group_by_request':
      line = `${who} joined the group by request`;
      break;
    case 'edit_group_title':
      line = `${who} changed the group name to "${m.title ?? ''}"`;
      break;
    case 'edit_group_photo':
      line = `${who} changed the group photo`;
      break;
    case 'delete_group_photo':
      line = `${who} removed the group photo`;
      break;
    case 'pin_message':
      line = `${who} pinned message ${m.message_id ?? ''}`.trimEnd();
      break;
    case 'phone_call':
      line = `${who}: phone call${m.discard_reason ? ` (${m.discard_reason})` : ''}${m.duration_seconds !== undefined ? `, ${m.duration_seconds} s` : ''}`;
      break;
    case 'group_call':
      line = `${who} started a group call${m.duration_seconds !== undefined ? `, ${m.duration_seconds} s` : ''}`;
      break;
    case 'clear_history':
      line = `${who} cleared the history`;
      break;
    case 'migrate_from_group':
      line = `${who}: migrated from group "${m.title ?? ''}"`;
      break;
    case 'migrate_to_supergroup':
      line = `${who} converted the group to a supergroup`;
      break;
    case 'set_messages_ttl':
      line = m.period ? `${who} set messages to auto-delete after ${m.period} s` : `${who} turned off auto-delete`;
      break;
    case 'score_in_game':
      line = `${who} scored ${m.score ?? ''} in ${m.game_title ?? 'a game'}`;
      break;
    case 'send_payment':
      line = `${who} paid ${m.amount ?? ''} ${m.currency ?? ''}`.trimEnd();
      break;
    case 'allow_sending_messages':
      line = `${who} allowed ${m.reason_domain ?? 'a bot'} to send messages`;
      break;
    default:
      line = `${who}: ${m.action ?? 'service message'}`;
  }
  return text ? `${line}: ${text}` : line;
}
