/**
 * One app context per matter, opened on first use from the matter's PostgreSQL schema and kept open
 * for every account working on it until the server stops.
 */
import os from 'node:os';
import path from 'node:path';
import { HoldfastError } from '../../api/errors.ts';
import { AppContext } from '../../app/app-context.ts';
import { openPostgresData } from '../../case/data/postgres/index.ts';
import { sessionOnData } from '../../case/session.ts';
import { currentAccount } from '../auth/authorize.ts';
import type { Presence } from './presence.ts';

export class MatterContexts {
  readonly #url: string;
  readonly #presence: Presence;
  readonly #open = new Map<string, Promise<AppContext>>();

  constructor(databaseUrl: string, presence: Presence) {
    this.#url = databaseUrl;
    this.#presence = presence;
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
    const data = openPostgresData(this.#url, { matter });
    const ctx = new AppContext({
      host: { kind: 'matter-server', presence: () => this.#presence.of(matter), account: currentAccount },
      configDir: path.join(os.tmpdir(), 'holdfast-matter-server'),
    });
    await ctx.adopt(sessionOnData(data, `matter ${matter}`, data.schemaVersion));
    return ctx;
  }

  async closeAll(): Promise<void> {
    const open = [...this.#open.values()];
    this.#open.clear();
    for (const ctx of await Promise.allSettled(open)) if (ctx.status === 'fulfilled') await ctx.value.shutdown();
  }
}
