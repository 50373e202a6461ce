// The synchronizer (anylog-node.md §9.2, §9.5, §9.6): every `time` seconds ask the master for the ledger
// (`event get_blockchain …`, no wait) or, when the connection is this node, dump the table in-process and
// install it when its md5 differs from the file's. The first self-sync cycle completes before start()
// returns. One install at a time (install lock); the timer comes from the injected Clock.
import { join } from 'node:path';
import { rm, readFile } from 'node:fs/promises';
import { statusText } from '../../contract/status-codes.js';
import type { TimerHandle } from '../../shared/clock.js';
import type { NodeServices, SyncSettings, SyncStatus, SynchronizerControl } from '../ports/runtime.js';
import { Mutex } from '../ledger/mutex.js';
import { dumpLedger } from './serve.js';
import { installLedgerText } from './install.js';

export interface SynchronizerOptions {
  /** Console sink for sync failures (default: node.logger only). */
  readonly console?: (text: string) => void;
}

function errorStatus(err: unknown): number {
  return typeof err === 'object' && err !== null && 'status' in err && typeof err.status === 'number'
    ? err.status
    : 208;
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
  readonly installLock = new Mutex();

  constructor(
    private readonly node: NodeServices,
    private readonly options: SynchronizerOptions = {},
  ) {}

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
    if (failed !== undefined) throw Object.assign(new Error(failed.text), { status: failed.code || 208 });
  }

  private async selfCycle(settings: SyncSettings): Promise<void> {
    const dump = await dumpLedger(this.node);
    if (!dump.ok) {
      if (dump.code === 59) return;
      throw Object.assign(new Error(dump.detail), { status: dump.code });
    }
    if (dump.md5 === this.node.ledgerFile.metadataVersion()) return;
    await this.install(dump.text, settings);
  }

  /** Install received ledger text under the install lock; a second install meanwhile is discarded. */
  async install(text: string, settings: SyncSettings | undefined = this.settings): Promise<boolean> {
    if (settings === undefined) return false;
    const installed = await this.installLock.tryRun(() =>
      installLedgerText(this.node, text, {
        connection: settings.connection,
        destDbms: settings.dest.includes('dbms'),
      }),
    );
    if (installed === true) {
      this.loads += 1;
      this.lastUpdateMs = this.node.clock.now();
    }
    return installed === true;
  }

  /** §6.8/§9.4 entry for a received file: install it, then delete it. */
  async installFile(filePath: string): Promise<void> {
    try {
      const text = await readFile(filePath, 'utf8');
      await this.install(text);
    } finally {
      await rm(filePath, { force: true });
    }
  }
}

export function createSynchronizer(
  node: NodeServices,
  options: SynchronizerOptions = {},
): SynchronizerControl & Synchronizer {
  return new Synchronizer(node, options);
}
