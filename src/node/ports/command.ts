// The command contract of the node runtime: what a command receives and returns. Every interface
// (script, CLI, REST, TCP, scheduler, sync) turns input into command text, the interpreter tokenizes and
// expands it, and the registry dispatches to a CommandDef by its 1–3 word key.
// Owned by the interpreter; commands/ files export CommandDef lists that node/main.ts registers.
import type { NodeServices } from './runtime.js';
import { STATUS, type StatusCode } from '../../contract/status-codes.js';

export type {
  Source,
  CommandResult,
  PeerOrigin,
  ExecContext,
  Invocation,
  BlockFrame,
  Session,
} from './command-types.js';
import type { CommandResult, ExecContext, Invocation } from './command-types.js';

export interface CommandDef {
  /** 1–3 lower-case words matched against the start of the expanded words (longest key wins). */
  readonly key: string;
  /** Accepted from TCP peers. Default false: peers get 212 Unauthorized command. */
  readonly peerAllowed?: boolean;
  run(inv: Invocation, ctx: ExecContext, node: NodeServices): Promise<CommandResult>;
}

export const OK: CommandResult = Object.freeze({ code: STATUS.SUCCESS });

export function ok(text?: string): CommandResult {
  return text === undefined ? OK : { code: STATUS.SUCCESS, text };
}

export function fail(code: StatusCode, detail?: string): CommandResult {
  return detail === undefined ? { code } : { code, detail };
}
