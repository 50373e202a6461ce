// pino logger factory with redaction of secrets at any depth (architecture rule D7: the only pino import).
// Loggers are created in a main.ts and passed down; there is no module-level logger.
import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';
import { CENSOR, REDACTED_KEYS } from './redacted-keys.js';

export type Logger = PinoLogger;

export { REDACTED_KEYS } from './redacted-keys.js';

function redactPaths(): string[] {
  const paths: string[] = [];
  for (const key of REDACTED_KEYS) {
    paths.push(key, `*.${key}`, `*.*.${key}`, `*.*.*.${key}`, `*.*.*.*.${key}`);
  }
  return paths;
}

export interface LoggerOptions {
  readonly level?: string;
  readonly name?: string;
  readonly destination?: DestinationStream;
  /** Write to this file descriptor instead of stdout (the node logs to stderr, docs/design/node-runtime.md §1.6). */
  readonly fd?: 1 | 2;
  readonly base?: Record<string, unknown>;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const config = {
    level: options.level ?? 'info',
    redact: { paths: redactPaths(), censor: CENSOR },
    base: { ...(options.name === undefined ? {} : { name: options.name }), ...(options.base ?? {}) },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  const destination =
    options.destination ??
    (options.fd === undefined ? undefined : pino.destination({ dest: options.fd, sync: false }));
  return destination === undefined ? pino(config) : pino(config, destination);
}

/** A logger that writes nothing (tests and tools). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
