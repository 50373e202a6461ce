// The pod runner's logger: one JSON line per event on stdout (which the control plane sends to
// <run>/logs/pod-runner.log). Small on purpose: the runner is test tooling, not product code.
export interface RunnerLog {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

function line(level: string, msg: string, fields: Record<string, unknown> | undefined): void {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields })}\n`);
}

export const runnerLog: RunnerLog = {
  info: (m, f) => line('info', m, f),
  warn: (m, f) => line('warn', m, f),
  error: (m, f) => line('error', m, f),
};

export const errText = (err: unknown): string => (err instanceof Error ? err.message : String(err));
