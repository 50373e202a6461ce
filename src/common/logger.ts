// pino logger factory with redaction of secrets at any depth (architecture rule D7: the only pino import).
// Loggers are created in a main.ts and passed down; there is no module-level logger.
// Redaction is one walk of each record and of each child's bindings (mask-secrets.ts) rather than pino's
// `redact` paths, which only reach the depths they spell out. Errors anywhere in a record are expanded by
// pino's own errWithCause serializer, so their fields and causes are masked like the rest.
import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';
import { maskSecrets } from './mask-secrets.js';

export type Logger = PinoLogger;

export { REDACTED_KEYS } from './redacted-keys.js';

/** pino's errWithCause shape, with the raw cause (Error or not) left for the walk to expand and mask. */
function expandError(error: Error): object {
  const out: Record<string, unknown> = pino.stdSerializers.errWithCause(error);
  if (error.cause === undefined) delete out['cause'];
  else out['cause'] = error.cause;
  return out;
}

function masked(record: Record<string, unknown>): Record<string, unknown> {
  return maskSecrets(record, expandError);
}

export interface LoggerOptions {
  readonly level?: string;
  readonly name?: string;
  readonly destination?: DestinationStream;
  /** Write to this file descriptor instead of stdout (the node logs to stderr). */
  readonly fd?: 1 | 2;
  readonly base?: Record<string, unknown>;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const config = {
    level: options.level ?? 'info',
    formatters: { log: masked, bindings: masked },
    // Errors are already expanded (and masked) by the walk; a second pass would re-serialise the copy.
    serializers: { err: (value: unknown) => value },
    base: { ...(options.name === undefined ? {} : { name: options.name }), ...(options.base ?? {}) },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  const destination =
    options.destination ??
    (options.fd === undefined ? undefined : pino.destination({ dest: options.fd, sync: false }));
  const logger = destination === undefined ? pino(config) : pino(config, destination);
  return maskingChildBindings(logger);
}

/**
 * pino applies `formatters.bindings` to the root's bindings only; a child's are stringified as given.
 * Children are created from their parent's prototype chain, so masking them in the root's `child`
 * covers every descendant.
 */
function maskingChildBindings(logger: Logger): Logger {
  const pinoChild: unknown = Reflect.get(logger, 'child');
  const child = function (this: unknown, bindings: Record<string, unknown>, ...rest: unknown[]): unknown {
    return Reflect.apply(pinoChild as (...args: unknown[]) => unknown, this, [masked(bindings), ...rest]);
  };
  Reflect.set(logger, 'child', child);
  return logger;
}

/** A logger that writes nothing (tests and tools). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
