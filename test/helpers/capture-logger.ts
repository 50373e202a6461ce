// A debug-level logger of the node whose records are kept in memory (level and message, and each whole
// record), for tests that check what a component logs and that a clean path logs nothing alarming.
import { createLogger } from '../../src/common/logger.js';

export interface CapturedLogger {
  readonly logger: ReturnType<typeof createLogger>;
  readonly lines: { level: number; msg: string }[];
  /** Every record as written, with its fields (after redaction). */
  readonly records: Record<string, unknown>[];
}

export function captureLogger(): CapturedLogger {
  const lines: { level: number; msg: string }[] = [];
  const records: Record<string, unknown>[] = [];
  const logger = createLogger({
    level: 'debug',
    destination: {
      write(s: string) {
        const o = JSON.parse(s) as Record<string, unknown> & { level: number; msg: string };
        lines.push({ level: o.level, msg: o.msg });
        records.push(o);
      },
    },
  });
  return { logger, lines, records };
}
