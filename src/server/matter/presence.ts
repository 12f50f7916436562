/** Who is connected to each matter: the accounts with an open WebSocket to it, for "who else is working". */
import type { PresenceDTO } from '../../api/dto.ts';

interface Seen {
  role: string;
  connections: number;
  since: number;
}

export class Presence {
  readonly #matters = new Map<string, Map<string, Seen>>();

  /** Counts one connection of `account` to `matter`; the returned function counts it out. */
  join(matter: string, account: { name: string; role: string }, at = Date.now()): () => void {
    let accounts = this.#matters.get(matter);
    if (!accounts) this.#matters.set(matter, (accounts = new Map()));
    const seen = accounts.get(account.name) ?? { role: account.role, connections: 0, since: at };
    seen.role = account.role;
    seen.connections++;
    accounts.set(account.name, seen);
    let left = false;
    return () => {
      if (left) return;
      left = true;
      if (--seen.connections === 0) accounts.delete(account.name);
    };
  }

  of(matter: string): PresenceDTO[] {
    return [...(this.#matters.get(matter) ?? new Map<string, Seen>())]
      .map(([name, s]) => ({ name, role: s.role, connections: s.connections, since: new Date(s.since).toISOString() }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}
