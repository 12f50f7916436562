/** The app core behind either transport, for tests that run one spec over both. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ApiError, createClient } from '../../src/api/client.ts';
import type { Client } from '../../src/api/client.ts';
import { createWebSocketTransport } from '../../src/api/ws-transport.ts';
import { AppContext } from '../../src/app/app-context.ts';
import type { HostCapabilities } from '../../src/app/app-context.ts';
import { inProcessTransport } from '../../src/app/in-process.ts';
import { startServer } from '../../src/server/server.ts';
import type { RunningServer } from '../../src/server/server.ts';
import { whatsappLines } from './generate.ts';
import type { WhatsAppCorpusOptions } from './generate.ts';
import { tempDir } from './case.ts';
import type { EventName, Events } from '../../src/api/events.ts';
import type { JobDTO } from '../../src/api/dto.ts';

export interface Harness {
  name: 'in-process' | 'loopback';
  client: Client;
  ctx: AppContext;
  dir: string;
  server?: RunningServer;
  close(): Promise<void>;
}

export async function inProcessHarness(host: HostCapabilities = { kind: 'in-process' }): Promise<Harness> {
  const dir = tempDir('holdfast-app-');
  const ctx = new AppContext({ host, configDir: path.join(dir, 'config') });
  return { name: 'in-process', client: createClient(inProcessTransport(ctx)), ctx, dir, close: () => ctx.shutdown() };
}

export async function loopbackHarness(opts: { rendererDir?: string } = {}): Promise<Harness> {
  const dir = tempDir('holdfast-app-');
  const ctx = new AppContext({ host: { kind: 'loopback' }, configDir: path.join(dir, 'config') });
  const server = await startServer({ ctx, ...(opts.rendererDir ? { rendererDir: opts.rendererDir } : {}) });
  const transport = createWebSocketTransport(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`);
  await transport.ready;
  return {
    name: 'loopback',
    client: createClient(transport),
    ctx,
    dir,
    server,
    async close() {
      transport.close();
      await server.close();
      await ctx.shutdown();
    },
  };
}

/** A WhatsApp Android text export on disk, named as WhatsApp names it. */
export function writeWhatsAppExport(dir: string, chat: string, opts: WhatsAppCorpusOptions): string {
  const file = path.join(dir, `WhatsApp Chat with ${chat}.txt`);
  fs.writeFileSync(file, `${[...whatsappLines(opts)].join('\n')}\n`);
  return file;
}

/** Resolves with the first event payload that satisfies `match`. */
export function nextEvent<E extends EventName>(client: Client, event: E, match: (p: Events[E]) => boolean = () => true): Promise<Events[E]> {
  return new Promise((resolve) => {
    const off = client.on(event, (p) => {
      if (match(p)) {
        off();
        resolve(p);
      }
    });
  });
}

/** The job once it has finished (whether it finished before or after this was called). */
export async function jobDone(client: Client, jobId: string): Promise<JobDTO> {
  const finished = nextEvent(client, 'job.finished', (j) => j.id === jobId);
  const now = await client.call('jobs.get', { jobId });
  return now.state === 'running' ? finished : now;
}

/** The ApiError a call fails with (the test fails if it succeeds or throws anything else). */
export async function failure(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof ApiError, `expected an ApiError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the call to fail');
}
