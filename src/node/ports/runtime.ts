// NodeServices: everything a command may use, assembled by node/main.ts (the composition root).
// Each field is a port; adapters (stores, TCP, REST, synchronizer, schedulers) implement them.
// Commands never import adapters: the layer rules in .dependency-cruiser.cjs (D9) fail the build when one does.
import type { Clock } from '../../common/clock.js';
import type { SslMode } from '../../contract/ssl-mode.js';
import type { LogPort as Logger } from '../../common/log-port.js';
import type { CommandResult, ExecContext } from './command-types.js';
import type { LedgerFile, LedgerPush, LedgerStore } from './ledger.js';
import type { PeerTransport, RestServerControl, TcpServerControl } from './network.js';

/** The node-global variable dictionary, shared by all interfaces. */
export interface Dictionary {
  get(name: string): string | undefined;
  set(name: string, value: string): void;
  has(name: string): boolean;
  delete(name: string): void;
  entries(): ReadonlyArray<readonly [string, string]>;
}

/** Process environment as the node sees it (`$NAME`, `$NAME = value`). */
export interface EnvAccess {
  get(name: string): string | undefined;
  set(name: string, value: string): void;
}

/** Node name and addresses; the name changes with `set node name`. */
export interface NodeIdentity {
  nodeName: string;
  readonly hostname: string;
  readonly internalIp: string;
  readonly externalIp: string;
  readonly overlayIp: string | undefined;
}

export interface DbmsConnectOptions {
  readonly name: string;
  readonly type: 'psql' | 'sqlite';
  readonly user?: string;
  readonly password?: string;
  readonly host?: string;
  readonly port?: number;
  readonly database?: string;
  readonly sslmode?: SslMode;
  readonly memory?: boolean;
}

/** Logical databases connected with `connect dbms`. */
export interface DbmsRegistry {
  connect(options: DbmsConnectOptions): Promise<void>;
  disconnect(name: string): Promise<boolean>;
  get(name: string): LedgerStore | undefined;
  typeOf(name: string): 'psql' | 'sqlite' | undefined;
  closeAll(): Promise<void>;
}

export interface SyncSettings {
  readonly source: 'master';
  readonly intervalSeconds: number;
  readonly dest: readonly ('file' | 'dbms')[];
  readonly connection: string;
  readonly trace: boolean;
}

export interface SyncStatus {
  readonly running: boolean;
  readonly settings: SyncSettings | undefined;
  readonly detail: string;
  readonly calls: number;
  readonly loads: number;
  readonly syncOk: number;
  readonly syncErr: number;
  readonly lastUpdateMs: number | undefined;
}

/** One `event get_blockchain` a peer sent to this node as master. */
export interface ServeRequest {
  /** Words after `event get_blockchain`: destination file, the requester's md5, trace flag. */
  readonly args: readonly string[];
  /** The requester's `ip:port`. */
  readonly requester: string;
}

/**
 * The synchronizer: both sides of sync. start() returns after the first
 * cycle when syncing from itself.
 */
export interface SynchronizerControl {
  status(): SyncStatus;
  start(settings: SyncSettings): Promise<void>;
  runOnce(): Promise<void>;
  stop(): Promise<void>;
  /**
   * Master side: answer a peer's ledger request; the result is what the
   * requester gets as an `echo`.
   */
  serve(request: ServeRequest): Promise<CommandResult>;
  /** Node side: install a ledger file a master sent, then delete it. */
  installFile(filePath: string): Promise<void>;
}

export interface TaskInfo {
  readonly id: number;
  readonly mode: 'Active' | 'Paused' | 'Stopped';
  readonly name: string;
  readonly counter: number;
  readonly runStatus: string;
  readonly startTime: string;
  readonly repeatSeconds: number;
  readonly command: string;
}

export interface ScheduleRequest {
  readonly schedulerId: number;
  readonly repeatSeconds: number;
  readonly name: string;
  readonly command: string;
  readonly startMs: number;
}

/** Schedulers 0–10. */
export interface SchedulerControl {
  start(id: number): boolean;
  isRunning(id: number): boolean;
  runningIds(): readonly number[];
  isDeclared(id: number): boolean;
  /** Returns the task id, or undefined for a duplicate name. */
  addTask(request: ScheduleRequest): number | undefined;
  tasks(id: number): readonly TaskInfo[];
  taskOp(
    id: number,
    op: 'stop' | 'resume' | 'remove' | 'run',
    selector: { name?: string; id?: number },
  ): Promise<boolean>;
  stopAll(): Promise<void>;
}

export interface NodeServices {
  readonly version: string;
  readonly dict: Dictionary;
  readonly env: EnvAccess;
  readonly identity: NodeIdentity;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly dirs: Readonly<Record<string, string>>;
  readonly dbms: DbmsRegistry;
  /** Master-side writes to the `blockchain` ledger table. */
  readonly ledger: LedgerPush;
  readonly ledgerFile: LedgerFile;
  readonly sync: SynchronizerControl;
  readonly schedulers: SchedulerControl;
  readonly tcp: TcpServerControl;
  readonly rest: RestServerControl;
  readonly peers: PeerTransport;
  /** Run one command line through the interpreter (used by REST, TCP, scheduler, `run client` loops). */
  execute(text: string, ctx: ExecContext): Promise<CommandResult>;
  /** Graceful shutdown (`exit node`). */
  requestShutdown(): void;
}
