/**
 * What the app keeps while it runs: the open case (one at a time), its passphrase for the job
 * workers' own connections, the job runner, the event channel, recent cases and what the host
 * (Electron, the loopback server, a test) can do itself. Transports share one per window/server.
 */
import { timingSafeEqual } from 'node:crypto';
import type { AccountDTO, CaseStateDTO, MatterStateDTO, PresenceDTO } from '../api/dto.ts';
import { HoldfastError } from '../api/errors.ts';
import type { CaseChange } from '../api/events.ts';
import { dataOf } from '../case/data/index.ts';
import type { OpenOptions } from '../case/data/index.ts';
import { createSession } from '../case/session.ts';
import { openSession } from './open-session.ts';
import type { CaseSession } from '../case/session.ts';
import { EventHub } from './events.ts';
import { attachmentContent } from './attachments.ts';
import type { AttachmentContent } from './attachments.ts';
import { JobManager } from './job-manager.ts';
import type { JobTarget } from './job-manager.ts';
import type { JobCase } from './jobs/types.ts';
import { RecentCases } from './recent.ts';
import { RecentMatters } from './remote.ts';
import type { MatterSignIn, RemoteMatter } from './remote.ts';
import { prepareIndexAsync } from '../search/index-manager.ts';
import { insideServerRoot } from './server-paths.ts';

export interface HostCapabilities {
  kind: 'electron' | 'loopback' | 'in-process' | 'matter-server';
  /** Who is connected to the open matter (the matter server). */
  presence?: () => PresenceDTO[];
  /**
   * The matter server's folder for what it writes (productions, gap reports): an output path is read
   * relative to it and refused outside it. On the matter server without one, nothing is written.
   */
  outputRoot?: string;
  /** The matter server's folder imports read from, with the same rule; without one, nothing is imported. */
  importRoot?: string;
  /** The signed-in account of the call running now (the matter server). */
  account?: () => AccountDTO | null;
  /** Signs in to a matter server (the desktop app, `holdfast serve`): `matters.connect`. */
  connectMatter?: (req: MatterSignIn) => Promise<RemoteMatter>;
  /** A case file the app was started with, for the UI to offer first. */
  launchCase?: string;
  /** A native open/save dialog; absent where there is none (a browser). */
  pickPath?: (req: { mode: 'open-file' | 'open-folder' | 'save-file'; title?: string | undefined; defaultPath?: string | undefined; filters?: { name: string; extensions: string[] }[] | undefined }) => Promise<string | null>;
}

export interface AppContextOptions {
  host: HostCapabilities;
  /** Where recent cases are remembered. */
  configDir: string;
  /** better-sqlite3 native binding (Electron may load an Electron-ABI build). */
  nativeBinding?: string;
  /** One command and out (the CLI): the case is not added to the recent list and its index is not preloaded. */
  oneShot?: boolean;
  /** Who acts in the cases this context opens (HOLDFAST_EXAMINER); without it, each case's examiner. */
  examiner?: string | undefined;
}

export class AppContext {
  readonly host: HostCapabilities;
  readonly events = new EventHub();
  readonly jobs = new JobManager(this.events);
  readonly recent: RecentCases;
  readonly recentMatters: RecentMatters;
  readonly #openOptions: OpenOptions;
  readonly #examiner: string | undefined;
  readonly #oneShot: boolean;
  #session: CaseSession | null = null;
  #passphrase: string | null = null;
  /** The matter this context serves (the matter server), with its database password if the address had one. */
  #matter: { case: JobCase; password: string } | null = null;
  #remote: { matter: RemoteMatter; unsubscribe: () => void } | null = null;
  #remoteProblem: string | null = null;

  constructor(opts: AppContextOptions) {
    this.host = opts.host;
    this.recent = new RecentCases(opts.configDir);
    this.recentMatters = new RecentMatters(opts.configDir);
    this.#openOptions = opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {};
    this.#oneShot = opts.oneShot ?? false;
    this.#examiner = opts.examiner || undefined;
  }

  /** The open case, or CASE_NOT_OPEN. */
  session(): CaseSession {
    if (!this.#session || !this.#session.isOpen()) throw new HoldfastError('CASE_NOT_OPEN', 'No case is open. Open or create a case first.');
    return this.#session;
  }

  get isOpen(): boolean {
    return this.#session !== null && this.#session.isOpen();
  }

  state(): CaseStateDTO {
    const s = this.#session;
    if (!s || !s.isOpen()) return { open: false, path: null, caseId: null, matter: null, examiner: null, schemaVersion: null, displayTz: null };
    return {
      open: true,
      path: s.path,
      caseId: dataOf(s).read.caseMeta.get('case_id') ?? null,
      matter: dataOf(s).read.caseMeta.get('matter') ?? null,
      examiner: s.actor,
      schemaVersion: s.schemaVersion,
      displayTz: s.displayTz,
    };
  }

  async open(file: string, passphrase: string): Promise<CaseStateDTO> {
    const session = openSession(file, passphrase, { ...this.#openOptions, ...(this.#examiner ? { actor: this.#examiner } : {}) });
    await this.#replace(session, passphrase);
    this.changed('opened');
    return this.state();
  }

  async create(file: string, passphrase: string, meta: { name?: string; examiner?: string; displayTz?: string }): Promise<CaseStateDTO> {
    // A case made without an examiner's name records the one creating it.
    const session = createSession(file, passphrase, { ...meta, ...(!meta.examiner && this.#examiner ? { examiner: this.#examiner } : {}) }, this.#openOptions);
    await this.#replace(session, passphrase);
    this.changed('created');
    return this.state();
  }

  /**
   * The matter server's: a matter opened on its data object is this context's case until shutdown;
   * its jobs' workers open the same matter (`databaseUrl` without its password, given apart).
   */
  async adopt(session: CaseSession, matter: { databaseUrl: string; password: string; matter: string }): Promise<void> {
    await this.#replace(session, null);
    this.#matter = { case: { databaseUrl: matter.databaseUrl, matter: matter.matter }, password: matter.password };
  }

  /** The matter server this app is connected to: dispatch sends it every call but the local ones. */
  get remote(): RemoteMatter | null {
    return this.#remote?.matter ?? null;
  }

  /** Signs in to a matter server in place of any open case; its events reach this app's subscribers. */
  async connect(req: MatterSignIn): Promise<MatterStateDTO> {
    if (!this.host.connectMatter) throw new HoldfastError('VALIDATION', 'Connecting to a matter server needs the desktop app or holdfast serve.');
    if (this.#remote) await this.disconnect();
    if (this.isOpen) await this.close();
    const matter = await this.host.connectMatter(req);
    const unsubscribe = matter.transport.subscribe((event, payload) => this.events.emit(event as never, payload as never));
    this.#remote = { matter, unsubscribe };
    this.#remoteProblem = null;
    matter.onClosed((reason) => {
      if (this.#remote?.matter !== matter) return;
      this.#dropRemote();
      this.#remoteProblem = reason;
      this.changed('closed');
    });
    this.recentMatters.remember(matter.url, matter.account.name);
    this.changed('opened');
    return this.matterState();
  }

  /** Signs out of the matter server; `problem` says why when the app did not ask for it. */
  async disconnect(problem: string | null = null): Promise<MatterStateDTO> {
    const remote = this.#remote;
    if (remote) {
      this.#dropRemote();
      this.#remoteProblem = problem;
      await remote.matter.close();
      this.changed('closed');
    }
    return this.matterState();
  }

  /** An attachment's content for the app's attachment URLs: from the open case, or from the matter server. */
  async attachment(id: number, opts: { download?: boolean } = {}): Promise<AttachmentContent> {
    const remote = this.#remote?.matter;
    return remote ? remote.attachment(id, opts) : attachmentContent(this.session(), id, opts);
  }

  matterState(): MatterStateDTO {
    const m = this.#remote?.matter;
    return m
      ? { connected: true, url: m.url, matter: m.matter, account: m.account, problem: null }
      : { connected: false, url: null, matter: null, account: null, problem: this.#remoteProblem };
  }

  #dropRemote(): void {
    this.#remote?.unsubscribe();
    this.#remote = null;
  }

  async close(): Promise<CaseStateDTO> {
    await this.#replace(null, null);
    this.changed('closed');
    return this.state();
  }

  /** Constant-time check of the passphrase the case was opened with (before a rekey). */
  checkPassphrase(candidate: string): boolean {
    if (this.#passphrase === null) return false;
    const a = Buffer.from(candidate, 'utf8');
    const b = Buffer.from(this.#passphrase, 'utf8');
    return a.length === b.length && timingSafeEqual(a, b);
  }

  /** After a rekey the job workers need the new passphrase. */
  passphraseChanged(next: string): void {
    this.#passphrase = next;
  }

  /** What a job's worker opens: this case file with its passphrase, or this matter. */
  jobTarget(): JobTarget {
    const s = this.session();
    if (this.#matter) return { case: this.#matter.case, secret: this.#matter.password, actor: s.actor };
    return { case: { file: s.path }, secret: this.#passphrase ?? '', actor: s.actor };
  }

  /**
   * Where a file the caller names is written. On the matter server the path is on the server, inside
   * its output root (src/app/server-paths.ts); elsewhere it is the caller's own disk and is taken as given.
   */
  outputPath(requested: string): string {
    return this.host.kind === 'matter-server' ? insideServerRoot(this.host.outputRoot, requested, 'output') : requested;
  }

  /** Where a source the caller names is read: on the matter server inside its import root, as outputPath. */
  inputPath(requested: string): string {
    return this.host.kind === 'matter-server' ? insideServerRoot(this.host.importRoot, requested, 'import') : requested;
  }

  changed(what: CaseChange): void {
    this.events.emit('case.changed', { what, path: this.#session?.path ?? null });
  }

  async shutdown(): Promise<void> {
    await this.disconnect();
    // Cancelled jobs end asynchronously (a clean stop, or terminated after the grace period): wait for them.
    this.jobs.cancelAll();
    await this.jobs.settle();
    await this.#replace(null, null);
  }

  async #replace(next: CaseSession | null, passphrase: string | null): Promise<void> {
    if (this.jobs.running().length > 0) {
      next?.close();
      throw new HoldfastError('CASE_BUSY', 'A job is still running on the open case. Wait for it to finish or cancel it first.');
    }
    this.#session?.close();
    this.#session = next;
    this.#passphrase = passphrase;
    if (next && !this.#oneShot) {
      if (this.host.kind !== 'matter-server') this.recent.remember(next.path);
      // Load the search index in slices while the app keeps answering; a search meanwhile finishes it.
      prepareIndexAsync(next).catch(() => {
        // A case closed mid-load, or an index that cannot load now: the first search loads or rebuilds it.
      });
    }
  }
}
