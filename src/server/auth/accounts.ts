/**
 * The matter server's accounts and sessions: adding, listing, disabling and re-roling accounts,
 * signing in (argon2id, lockout), checking a session on every call (sliding expiry under an absolute
 * end) and signing out. Every change is an entry in the server audit log, hash-chained as the case's.
 * The clock is injectable so that tests move it instead of sleeping.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { AuditEntryDTO } from '../../api/dto.ts';
import { HoldfastError } from '../../api/errors.ts';
import { GENESIS_HASH, auditHash } from '../../case/audit.ts';
import type { Problem } from '../../case/audit.ts';
import { canonicalJson } from '../../case/canonical-json.ts';
import { AccountsStore } from '../../case/data/postgres/accounts.ts';
import type { AccountQueries, AccountRow, ServerAuditRow } from '../../case/data/postgres/accounts.ts';
import type { SignedInAccount } from './authorize.ts';
import { assertAcceptablePassword, dummyHash, hashPassword, verifyPassword } from './passwords.ts';
import { ROLES, isRole } from './roles.ts';
import type { Role } from './roles.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Five wrong passwords in a row lock the account for 15 minutes; attempts while locked are refused and not counted. */
export const LOCKOUT = { failures: 5, minutes: 15 } as const;

/** A session ends 12 hours after its last call, and 24 hours after sign-in whatever happens. */
export const SESSION = { idleHours: 12, maxHours: 24 } as const;

/** A session's last call is written at most once a minute (not on every call). */
const TOUCH_EVERY = MINUTE;

export interface AccountDTO {
  name: string;
  role: Role;
  createdAt: string;
  disabled: boolean;
  /** Set while a lockout lasts. */
  lockedUntil: string | null;
}

export interface SignIn {
  /** Sent back on every call (bearer header or cookie); only its SHA-256 is stored. */
  token: string;
  account: SignedInAccount;
  expiresAt: string;
}

/** An entry of the server's account log, shaped as a case's audit entry. */
export type ServerAuditEntry = AuditEntryDTO;

// The same words for every refused sign-in: they do not tell which names exist.
const SIGN_IN_REFUSED = `The name or password is wrong, or the account is disabled or locked (${LOCKOUT.failures} wrong passwords lock it for ${LOCKOUT.minutes} minutes).`;

function tokenSha256(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export class Accounts {
  readonly #store: AccountsStore;
  readonly #now: () => number;

  private constructor(store: AccountsStore, now: () => number) {
    this.#store = store;
    this.#now = now;
  }

  static async open(databaseUrl: string, opts: { now?: () => number } = {}): Promise<Accounts> {
    return new Accounts(await AccountsStore.open(databaseUrl), opts.now ?? Date.now);
  }

  close(): Promise<void> {
    return this.#store.close();
  }

  /** The matters of the server's database, by name. */
  matters(): Promise<string[]> {
    return this.#store.matterNames();
  }

  async add(actor: string, a: { name: string; role: string; password: string }): Promise<AccountDTO> {
    const name = accountName(a.name);
    const role = roleOf(a.role);
    assertAcceptablePassword(a.password, name);
    const passwordHash = await hashPassword(a.password);
    return this.#store.transaction(async (q) => {
      const row = await q.insertAccount({ name, role, passwordHash, createdAt: this.#now() });
      if (!row) throw new HoldfastError('VALIDATION', `There is an account named ${JSON.stringify(name)} already (names ignore case).`);
      await this.#audit(q, actor, 'account.create', { account: row.name, role });
      return dto(row, this.#now());
    });
  }

  async list(): Promise<AccountDTO[]> {
    const now = this.#now();
    return (await this.#store.read.accounts()).map((r) => dto(r, now));
  }

  /** Disables the account and ends its sessions; its name stays taken (the audit log names it). */
  async disable(actor: string, name: string): Promise<AccountDTO> {
    return this.#store.transaction(async (q) => {
      const row = await existing(q, name);
      if (row.disabledAt === null) {
        const at = this.#now();
        await q.disable(row.id, at);
        const sessions = await q.deleteSessionsOf(row.id);
        await this.#audit(q, actor, 'account.disable', { account: row.name, sessionsEnded: sessions });
        row.disabledAt = at;
      }
      return dto(row, this.#now());
    });
  }

  /** The new role applies from the account's next call. */
  async setRole(actor: string, name: string, newRole: string): Promise<AccountDTO> {
    const role = roleOf(newRole);
    return this.#store.transaction(async (q) => {
      const row = await existing(q, name);
      if (row.role !== role) {
        await q.setRole(row.id, role);
        await this.#audit(q, actor, 'account.role', { account: row.name, before: { role: row.role }, after: { role } });
        row.role = role;
      }
      return dto(row, this.#now());
    });
  }

  async login(name: string, password: string): Promise<SignIn> {
    const now = this.#now();
    const row = await this.#store.read.accountByName(name.trim());
    const usable = row !== null && row.disabledAt === null && !(row.lockedUntil !== null && row.lockedUntil > now);
    // Unknown, disabled and locked accounts are checked against a hash too: a refusal takes as long either way.
    const matches = await verifyPassword(usable ? row.passwordHash : await dummyHash(), password);
    if (!usable) throw new HoldfastError('UNAUTHENTICATED', SIGN_IN_REFUSED);
    if (!matches) {
      await this.#failed(row.name, now);
      throw new HoldfastError('UNAUTHENTICATED', SIGN_IN_REFUSED);
    }
    const token = randomBytes(32).toString('base64url');
    const endsBy = now + SESSION.maxHours * HOUR;
    const expiresAt = Math.min(now + SESSION.idleHours * HOUR, endsBy);
    await this.#store.transaction(async (q) => {
      if (row.failedLogins !== 0 || row.lockedUntil !== null) await q.setFailedLogins(row.id, 0, null);
      await q.deleteExpiredSessions(now);
      await q.insertSession(tokenSha256(token), { accountId: row.id, createdAt: now, lastSeenAt: now, expiresAt, endsBy });
      await this.#audit(q, row.name, 'session.login', { account: row.name, role: row.role, endsBy: new Date(endsBy).toISOString() }, now);
    });
    return { token, account: { name: row.name, role: roleOf(row.role) }, expiresAt: new Date(expiresAt).toISOString() };
  }

  /** The account a session token belongs to, with its current role; moves the session's expiry on. */
  async authenticate(token: string): Promise<SignedInAccount> {
    const now = this.#now();
    const found = /^[A-Za-z0-9_-]{43}$/.test(token) ? await this.#store.read.sessionWithAccount(tokenSha256(token)) : null;
    if (!found || found.session.expiresAt <= now || found.account.disabledAt !== null) {
      throw new HoldfastError('UNAUTHENTICATED', 'Not signed in, or the session has ended: sign in again.');
    }
    if (now - found.session.lastSeenAt >= TOUCH_EVERY) {
      await this.#store.read.touchSession(tokenSha256(token), now, Math.min(now + SESSION.idleHours * HOUR, found.session.endsBy));
    }
    return { name: found.account.name, role: roleOf(found.account.role) };
  }

  /** Ends the session; a token that has none is ignored. */
  async logout(token: string): Promise<void> {
    await this.#store.transaction(async (q) => {
      const name = await q.deleteSession(tokenSha256(token));
      if (name !== null) await this.#audit(q, name, 'session.logout', { account: name });
    });
  }

  async auditLog(): Promise<{ entries: ServerAuditEntry[]; problems: Problem[] }> {
    const rows = await this.#store.read.auditChain();
    const entries = rows.map((r) => ({ seq: r.seq, at: new Date(r.at).toISOString(), actor: r.actor, action: r.action, details: JSON.parse(r.details) as unknown, hash: r.hash }));
    return { entries, problems: chainProblems(rows) };
  }

  async #failed(name: string, now: number): Promise<void> {
    await this.#store.transaction(async (q) => {
      // Locked for update: two wrong passwords at once both count.
      const row = await q.accountByName(name, true);
      // Another attempt locked it meanwhile: this one is not counted (and must not clear the lock).
      if (!row || (row.lockedUntil !== null && row.lockedUntil > now)) return;
      const failures = row.failedLogins + 1;
      if (failures >= LOCKOUT.failures) {
        const until = now + LOCKOUT.minutes * MINUTE;
        await q.setFailedLogins(row.id, 0, until);
        await this.#audit(q, row.name, 'account.lock', { account: row.name, failures, lockedUntil: new Date(until).toISOString() }, now);
      } else {
        await q.setFailedLogins(row.id, failures, null);
        await this.#audit(q, row.name, 'session.login-failed', { account: row.name, failures }, now);
      }
    });
  }

  async #audit(q: AccountQueries, actor: string, action: string, details: unknown, at = this.#now()): Promise<void> {
    const last = await q.lastAuditForAppend();
    const seq = (last?.seq ?? 0) + 1;
    const prevHash = last?.hash ?? GENESIS_HASH;
    const json = canonicalJson(details);
    await q.insertAudit({ seq, at, actor, action, details: json, prev_hash: prevHash, hash: auditHash(prevHash, { seq, at, actor, action, details: json }) });
  }
}

function chainProblems(rows: ServerAuditRow[]): Problem[] {
  const problems: Problem[] = [];
  let prev = GENESIS_HASH;
  rows.forEach((r, i) => {
    if (r.seq !== i + 1) problems.push({ table: 'holdfast_server.audit_log', id: r.seq, field: 'seq', message: `entry ${i + 1} is missing (next is ${r.seq})` });
    if (r.prev_hash !== prev) problems.push({ table: 'holdfast_server.audit_log', id: r.seq, field: 'prev_hash', message: 'does not match the previous entry: an entry was removed or altered' });
    if (auditHash(r.prev_hash, r) !== r.hash) problems.push({ table: 'holdfast_server.audit_log', id: r.seq, field: 'hash', message: `content was changed after it was written (action ${r.action})` });
    prev = r.hash;
  });
  return problems;
}

async function existing(q: AccountQueries, name: string): Promise<AccountRow> {
  const row = await q.accountByName(name.trim(), true);
  if (!row) throw new HoldfastError('NOT_FOUND', `There is no account named ${JSON.stringify(name.trim())}.`);
  return row;
}

function accountName(raw: string): string {
  const name = raw.trim();
  if (name.length < 1 || name.length > 200 || /\p{Cc}/u.test(name)) {
    throw new HoldfastError('VALIDATION', 'An account name has 1 to 200 characters and no control characters.');
  }
  return name;
}

function roleOf(value: string): Role {
  if (!isRole(value)) throw new HoldfastError('VALIDATION', `There is no role ${JSON.stringify(value)}: one of ${ROLES.join(', ')}.`);
  return value;
}

function dto(r: AccountRow, now: number): AccountDTO {
  return {
    name: r.name,
    role: roleOf(r.role),
    createdAt: new Date(r.createdAt).toISOString(),
    disabled: r.disabledAt !== null,
    lockedUntil: r.lockedUntil !== null && r.lockedUntil > now ? new Date(r.lockedUntil).toISOString() : null,
  };
}
