// The process-facing inputs of anylog-node's main (argv, environment, stdout/stderr, TTY, shutdown
// signal), so tests can run the node in-process. Built by src/bin/anylog-node.ts.
import type { Env } from '../common/env.js';
import type { Clock } from '../common/clock.js';

export interface MainIo {
  readonly argv: readonly string[];
  readonly env: Env;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly stdinIsTty: boolean;
  readonly cwd: string;
  readonly clock?: Clock;
  /** Aborted by the caller (signals) to shut down. */
  readonly shutdown?: AbortSignal;
}
