/**
 * Wording of WhatsApp system events (group joins and leaves, renames, number changes, calls) as
 * system messages. The codes are the Android `message_system.action_type` (same values in the
 * legacy `messages.media_size` of rows with status 6). Unknown codes keep their number so an
 * examiner can look them up.
 */

export interface SystemEvent {
  systemType: string;
  text: string;
}

const quote = (s: string) => `“${s}”`;

export function androidSystemEvent(action: number | null, actor: string | undefined, subjects: string[], value: string | null): SystemEvent {
  const who = actor ?? 'Someone';
  const them = subjects.length ? subjects.join(', ') : 'a participant';
  switch (action) {
    case 1:
      return { systemType: 'rename', text: value ? `${who} changed the group name to ${quote(value)}` : `${who} changed the group name` };
    case 4:
      return { systemType: 'join', text: `${subjects.length ? them : who} joined` };
    case 5:
      return { systemType: 'leave', text: `${subjects.length ? them : who} left` };
    case 6:
      return { systemType: 'other', text: `${who} changed the group icon` };
    case 7:
    case 14:
      return { systemType: 'leave', text: `${who} removed ${them}` };
    case 11:
      return { systemType: 'created', text: value ? `${who} created the group ${quote(value)}` : `${who} created the group` };
    case 12:
      return { systemType: 'join', text: `${who} added ${them}` };
    case 20:
      return { systemType: 'join', text: `${subjects.length ? them : who} joined using an invite link` };
    case 27:
      return { systemType: 'other', text: `${who} changed the group description` };
    case 28:
      return { systemType: 'number-change', text: `${who} changed their phone number${subjects.length ? ` to ${them}` : ''}` };
    case 58:
      return { systemType: 'other', text: value === '0' ? `${who} unblocked this contact` : `${who} blocked this contact` };
    case 59:
      return { systemType: 'disappearing', text: `${who} turned off disappearing messages` };
    case 67:
    case 18:
      return { systemType: 'encryption', text: 'Messages and calls are end-to-end encrypted' };
    default:
      return { systemType: 'other', text: `System event ${action ?? '(no code)'}${value ? `: ${value}` : ''}` };
  }
}

/** iOS ZWAMESSAGE rows of type 6 (group events) by ZGROUPEVENTTYPE. */
export function iosGroupEvent(eventType: number | null, actor: string | undefined, subject: string | undefined, text: string | null): SystemEvent {
  const who = actor ?? 'Someone';
  switch (eventType) {
    case 1:
      return { systemType: 'rename', text: text ? `${who} changed the group name to ${quote(text)}` : `${who} changed the group name` };
    case 2:
      return { systemType: 'join', text: `${subject ?? who} joined` };
    case 3:
      return { systemType: 'leave', text: `${subject ?? who} left` };
    case 4:
      return { systemType: 'other', text: `${who} changed the group icon` };
    case 5:
      return { systemType: 'other', text: `${who} removed the group icon` };
    case 7:
      return { systemType: 'leave', text: `${subject ?? who} was removed` };
    case 10:
      return { systemType: 'other', text: `${subject ?? who} became an admin` };
    case 12:
      return { systemType: 'created', text: text ? `${who} created the group ${quote(text)}` : `${who} created the group` };
    case 50:
      return { systemType: 'join', text: `${subject ?? who} joined` };
    default:
      return { systemType: 'other', text: `Group event ${eventType ?? '(no code)'}${text ? `: ${text}` : ''}` };
  }
}

/** iOS ZWAMESSAGE rows of type 10 (chat events and calls) by ZGROUPEVENTTYPE. */
export function iosChatEvent(eventType: number | null, who: string | undefined, text: string | null): SystemEvent {
  switch (eventType) {
    case 1:
      return { systemType: 'call', text: 'Missed voice call' };
    case 2:
      return { systemType: 'encryption', text: 'Messages and calls are end-to-end encrypted' };
    case 3:
      return { systemType: 'other', text: `Security code with ${who ?? 'this contact'} changed` };
    case 4:
    case 22:
      return { systemType: 'call', text: 'Missed video call' };
    case 34:
      return { systemType: 'other', text: 'Contact blocked' };
    case 35:
      return { systemType: 'other', text: 'Contact unblocked' };
    case 40:
    case 41:
      return { systemType: 'call', text: 'Video call' };
    default:
      return { systemType: 'other', text: `Chat event ${eventType ?? '(no code)'}${text ? `: ${text}` : ''}` };
  }
}
