/**
 * One app context per matter, opened on first use from the matter's PostgreSQL schema and kept open
 * for every account working on it until the server stops.
 */
import os from 'node:os';
import path from 'node:path';
import { HoldfastError } from '../../api/errors.ts';
import { AppContext } from '../../app/app-context.ts';
import { splitPassword } from '../../case/data/postgres/url-password.ts';
import { openMatterSession } from '../../app/open-matter.ts';
import { METHODS } from '../../api/methods/index.ts';
import type { MethodName } from '../../api/methods/index.ts';
import type { AccountDTO } from '../../api/dto.ts';
import { currentAccount } from '../auth/authorize.ts';
import { mayCall } from '../auth/roles.ts';
import { isServed } from './served.ts';
import type { Presence } from './presence.ts';

/** The account of the call running now, with what it cannot call here: its role's refusals and what the server does not serve. */
function accountOfCall(): AccountDTO | null {
  const account = currentAccount();
  if (!account) return null;
  const forbidden = (Object.keys(METHODS) as MethodName[]).filter((m) => !mayCall(account.role, m) || !isServed(m));
  return { name: account.name, role: account.role, forbidden };
}

export class MatterContexts {
  readonly #url: string;
  readonly #presence: Presence;
  readonly #roots: { outputRoot?: string; importRoot?: string };
  readonly #open = new Map<string, Promise<AppContext>>();

  constructor(databaseUrl: string, presence: Presence, roots: { outputRoot?: string; importRoot?: string } = {}) {
    this.#url = databaseUrl;
    this.#presence = presence;
    this.#roots = roots;
  }

  /** The matter's context; `exists` says whether the database holds the matter (a sign-in never creates one). */
  context(matter: string, exists: (name: string) => Promise<boolean>): Promise<AppContext> {
    let ctx = this.#open.get(matter);
    if (!ctx) {
      ctx = this.#openMatter(matter, exists);
      this.#open.set(matter, ctx);
      ctx.catch(() => this.#open.delete(matter));
    }
    return ctx;
  }

  async #openMatter(matter: string, exists: (name: string) => Promise<boolean>): Promise<AppContext> {
    if (!(await exists(matter))) throw new HoldfastError('NOT_FOUND', `There is no matter ${JSON.stringify(matter)} on this server.`, { matter });
    // Opened as a job's worker opens it: a run a killed server left behind is rolled back first.
    const session = openMatterSession(this.#url, matter);
    const ctx = new AppContext({
      host: {
        kind: 'matter-server', presence: () => this.#presence.of(matter), account: accountOfCall,
        ...this.#roots,
      },
      configDir: path.join(os.tmpdir(), 'holdfast-matter-server'),
    });
    const { url, password } = splitPassword(this.#url);
    await ctx.adopt(session, { databaseUrl: url, password, matter });
    return ctx;
  }

  async closeAll(): Promise<void> {
    const open = [...this.#open.values()];
    this.#open.clear();
    for (const ctx of await Promise.allSettled(open)) if (ctx.status === 'fulfilled') await ctx.value.shutdown();
  }
}
