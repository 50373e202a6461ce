// Command execution types shared by the command contract and NodeServices: source, result, context and
// invocation. Split from command.ts so runtime.ts can use them without an
// import cycle; command.ts re-exports everything here.
import type { StatusCode } from '../../contract/status-codes.js';

export type Source = 'script' | 'cli' | 'rest' | 'tcp' | 'scheduler' | 'sync';

/** Outcome of one command: an AnyLog status code (0 = success), result text and detail. */
export interface CommandResult {
  readonly code: StatusCode;
  /** Result text: REST body, TCP `print` data, value stored by `x = <command>`. */
  readonly text?: string;
  /** Detail message: REST `local_msg`, TCP `echo` error data. */
  readonly detail?: string;
  /**
   * Success without a value (an assigned `blockchain get` that matched nothing): `x = <command>` leaves `x`
   * undefined instead of storing text.
   */
  readonly noValue?: boolean;
}

/** The peer a TCP message came from (its header's fields, with an unset source address taken from the socket). */
export interface PeerOrigin {
  readonly ip: string;
  readonly port: number;
  /** The socket's remote IP (for `host` of `blockchain push`). */
  readonly socketIp: string;
  readonly jobLocation: number;
  readonly jobId: number;
  readonly receiverId: number;
  readonly receivers: number;
}

export interface ExecContext {
  readonly source: Source;
  /** True for `x = <command>`: commands such as `run client` then wait for replies. */
  readonly assigned: boolean;
  /** Set for commands received over TCP. */
  readonly peer?: PeerOrigin;
  /** Console sink (stdout for script/CLI/scheduler; REST and TCP discard or collect). */
  readonly console: (text: string) => void;
  readonly signal?: AbortSignal;
  /** Script file and logical line, for messages. */
  readonly script?: { readonly file: string; readonly line: number };
  /**
   * The HTTP request a REST command came in (informational). Its client IP is read only when asked for:
   * reading a socket's peer address is a system call. A data property, so spread copies keep it.
   */
  readonly client?: { readonly clientIp: string };
  /**
   * The line stream this call belongs to (a REST request's body lines and its header command form one
   * stream). Absent: the line is a stream of its own.
   */
  readonly session?: Session;
}

/** One open brace block of a line stream (interpreter/stream.ts). */
export interface BlockFrame {
  /** The lines around the block run (false inside a branch that does not run). */
  readonly outerRunning: boolean;
  /** The current branch runs. */
  running: boolean;
  /** A branch of this block was chosen already (later branches do not run). */
  taken: boolean;
  sawElse: boolean;
}

/**
 * Per-stream state (a CLI session, one REST request's body lines and command): the one-line `if` outcome
 * for `do` / `else` and the open brace blocks, which do not change each other.
 */
export interface Session {
  lastIf: boolean | undefined;
  blocks?: BlockFrame[];
}

/** One command line after tokenizing and expansion. */
export interface Invocation {
  /** Expanded words. Quoted words have their double quotes removed; JSON words are unexpanded. */
  readonly words: readonly string[];
  /** The same words before expansion, as written (double quotes kept), for commands that expand themselves. */
  readonly rawWords: readonly string[];
  /** The command text as received (for messages). */
  readonly text: string;
}
