// The synchronizer: every `time` seconds ask the master for the ledger
// (`event get_blockchain …`, no wait) or, when the connection is this node, dump the table in-process and
// install it when its md5 differs from the file's. The first self-sync cycle completes before start()
// returns. One install at a time (install lock); the timer comes from the injected Clock.
// Self-sync is incremental: after a full dump the cycle keeps a TableCursor and a TailMark of the file;
// while the table only grows in dump order, a cycle reads the new rows and rewrites the file's tail
// (O(change)); anything else (deletes, out-of-order rows, a rewritten file) takes the full dump again.
import { join } from 'node:path';
import { rm, readFile } from 'node:fs/promises';
import { statusText, STATUS, asStatusCode, type StatusCode } from '../../contract/status-codes.js';
import type { TimerHandle } from '../../common/clock.js';
import type {
  NodeServices,
  ServeRequest,
  SyncSettings,
  SyncStatus,
  SynchronizerControl,
} from '../ports/runtime.js';
import type { CommandResult } from '../ports/command.js';
import { LEDGER_LOGICAL_DBMS } from '../../contract/ledger-ddl.js';
import type { FilePolicy, LedgerFile, LedgerStore, TailMark } from '../ports/ledger.js';
import { Mutex } from '../../common/mutex.js';
import { parsePolicyLine } from '../ledger/policy-line.js';
import type { TableRow } from '../ledger/table-rows.js';
import { LedgerServer } from './serve.js';
import { installLedgerText, installPolicies, installTail, type InstallOptions } from './install.js';
import { checkTable, type TableCursor } from './table-cursor.js';

export interface SynchronizerOptions {
  /** Console sink for sync failures (default: node.logger only). */
  readonly console?: (text: string) => void;
}

function errorStatus(err: unknown): StatusCode {
  return typeof err === 'object' && err !== null && 'status' in err && typeof err.status === 'number'
    ? asStatusCode(err.status)
    : STATUS.PEER_REFUSED;
}

export class Synchronizer implements SynchronizerControl {
  private settings: SyncSettings | undefined;
  private running = false;
  private detail = '';
  private calls = 0;
  private loads = 0;
  private syncOk = 0;
  private syncErr = 0;
  private lastUpdateMs: number | undefined;
  private timer: TimerHandle | undefined;
  private current: Promise<void> | undefined;
  /** Self-sync state: the table as last installed and where its dump ends in the file. */
  private self: { store: LedgerStore; cursor: TableCursor; mark: TailMark } | undefined;
  /** A received copy was discarded while another install ran. */
  private discarded = false;
  readonly installLock = new Mutex();
  /** The master side: serves peers' ledger requests and dumps the table for self-sync cycles. */
  private readonly server: LedgerServer;

  constructor(
    private readonly node: NodeServices,
    private readonly options: SynchronizerOptions = {},
  ) {
    this.server = new LedgerServer(node);
  }

  serve(request: ServeRequest): Promise<CommandResult> {
    return this.server.serve(request);
  }

  status(): SyncStatus {
    return {
      running: this.running,
      settings: this.settings,
      detail: this.detail,
      calls: this.calls,
      loads: this.loads,
      syncOk: this.syncOk,
      syncErr: this.syncErr,
      lastUpdateMs: this.lastUpdateMs,
    };
  }

  async start(settings: SyncSettings): Promise<void> {
    this.settings = settings;
    this.self = undefined;
    this.running = true;
    this.detail = `Sync every ${settings.intervalSeconds} seconds with master using: ${settings.connection}`;
    if (this.node.peers.isOwnAddress(settings.connection)) await this.runOnce();
    else void this.runOnce();
    this.schedule();
  }

  private schedule(): void {
    const settings = this.settings;
    if (!this.running || settings === undefined) return;
    this.timer = this.node.clock.setTimer(settings.intervalSeconds * 1000, () => {
      void this.runOnce().finally(() => {
        this.schedule();
      });
    });
  }

  async runOnce(): Promise<void> {
    if (this.current !== undefined) return this.current;
    this.current = this.cycle().finally(() => {
      this.current = undefined;
    });
    return this.current;
  }

  async stop(): Promise<void> {
    this.running = false;
    this.timer?.cancel();
    this.timer = undefined;
    await this.current;
  }

  private async cycle(): Promise<void> {
    const settings = this.settings;
    if (settings === undefined || this.installLock.locked) return;
    this.calls += 1;
    try {
      if (this.node.peers.isOwnAddress(settings.connection)) await this.selfCycle(settings);
      else await this.requestLedger(settings);
      this.syncOk += 1;
      this.detail = `Sync every ${settings.intervalSeconds} seconds with master using: ${settings.connection}`;
    } catch (err) {
      this.syncErr += 1;
      this.detail = `Failed to connect to master using: ${settings.connection}`;
      const text = `Synchronizer process failed to connect to Master using ${settings.connection} with error: '${statusText(errorStatus(err))}'`;
      this.node.logger.warn(
        { connection: settings.connection, err: err instanceof Error ? err.message : String(err) },
        'sync cycle failed',
      );
      this.options.console?.(text);
    }
  }

  private async requestLedger(settings: SyncSettings): Promise<void> {
    const dir = this.node.dirs['blockchain_dir'] ?? '';
    const dest = join(dir, 'blockchain.new').replace(/ /g, '\t');
    const command = `event get_blockchain ${dest} ${this.node.ledgerFile.metadataVersion()} ${settings.trace ? 2 : 0}`;
    const replies = await this.node.peers.sendCommand([settings.connection], command, { wait: false });
    const failed = replies.find(
      (r) => r.kind === 'unreachable' || r.kind === 'error' || r.kind === 'timeout',
    );
    if (failed !== undefined)
      throw Object.assign(new Error(failed.text), { status: failed.code || STATUS.PEER_REFUSED });
  }

  private async selfCycle(settings: SyncSettings): Promise<void> {
    if (await this.selfIncremental(settings)) return;
    const dump = await this.server.dump();
    this.self = undefined;
    if (!dump.ok) {
      if (dump.code === STATUS.EMPTY_BLOCKCHAIN) return;
      throw Object.assign(new Error(dump.detail), { status: dump.code });
    }
    const store = this.node.dbms.get(LEDGER_LOGICAL_DBMS);
    if (store === undefined || dump.cursor === undefined || dump.rows === undefined) {
      if (dump.md5 !== this.node.ledgerFile.metadataVersion()) await this.install(dump.text, settings);
      return;
    }
    await this.selfFull(settings, this.node.ledgerFile, {
      store,
      cursor: dump.cursor,
      rows: dump.rows,
      md5: dump.md5,
    });
  }

  /** A full self-sync install from dumped rows; keeps the cursor and mark for the next cycles. */
  private async selfFull(
    settings: SyncSettings,
    file: LedgerFile,
    dump: { store: LedgerStore; cursor: TableCursor; rows: readonly TableRow[]; md5: string },
  ): Promise<void> {
    const { store, cursor } = dump;
    if (dump.md5 === file.metadataVersion()) {
      const mark = file.mark();
      if (mark !== undefined) this.self = { store, cursor, mark };
      return;
    }
    const outcome = await this.installLock.tryRun(() =>
      installPolicies(this.node, policiesOf(dump.rows), this.installOptions(settings)),
    );
    if (outcome?.installed !== true) return;
    this.counted();
    if (outcome.mark !== undefined) this.self = { store, cursor, mark: outcome.mark };
  }

  /** The O(change) cycle; false when a full dump is needed. */
  private async selfIncremental(settings: SyncSettings): Promise<boolean> {
    const self = this.self;
    if (self === undefined) return false;
    if (this.node.dbms.get(LEDGER_LOGICAL_DBMS) !== self.store) return false;
    const check = await checkTable(self.store, self.cursor);
    if (!check.appended) return false;
    const added = policiesOf(check.rows);
    const outcome = await this.installLock.tryRun(() =>
      installTail(this.node, self.mark, added, this.installOptions(settings)),
    );
    if (outcome === undefined) return false;
    this.self = { store: self.store, cursor: check.cursor, mark: outcome.mark };
    if (outcome.changed) this.counted();
    return true;
  }

  private installOptions(settings: SyncSettings): InstallOptions {
    return { connection: settings.connection, destDbms: settings.dest.includes('dbms') };
  }

  private counted(): void {
    this.loads += 1;
    this.lastUpdateMs = this.node.clock.now();
  }

  /**
   * Install received ledger text under the install lock; a second install meanwhile is discarded.
   * The discarded copy may be the newer one, so when the running install ends a new cycle asks the master
   * again at once instead of waiting a whole sync period.
   */
  async install(
    text: string,
    settings: SyncSettings | undefined = this.settings,
    receivedPath?: string,
  ): Promise<boolean> {
    if (settings === undefined) return false;
    const installed = await this.installLock.tryRun(() =>
      installLedgerText(this.node, text, this.installOptions(settings), receivedPath),
    );
    if (installed === undefined) {
      this.discarded = true;
      return false;
    }
    if (installed) this.counted();
    if (this.discarded) {
      this.discarded = false;
      if (this.running) void this.runOnce();
    }
    return installed;
  }

  /** Entry for a received file: install it, then delete it. */
  async installFile(filePath: string): Promise<void> {
    try {
      const text = await readFile(filePath, 'utf8');
      await this.install(text, this.settings, filePath);
    } finally {
      await rm(filePath, { force: true });
    }
  }
}

function policiesOf(rows: readonly TableRow[]): FilePolicy[] {
  const out: FilePolicy[] = [];
  for (const r of rows) {
    const p = parsePolicyLine(r.policy, out.length);
    if (p !== undefined) out.push(p);
  }
  return out;
}

export function createSynchronizer(node: NodeServices, options: SynchronizerOptions = {}): Synchronizer {
  return new Synchronizer(node, options);
}
