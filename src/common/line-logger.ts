// The node runtime's logger (ADR 0010): one JSON object per line in pino's format (numeric `level`, ISO
// `time`, `name`, the fields, `msg`), so log tooling reads node and operator logs alike. Values under a
// secret key (redacted-keys.ts) are masked at any depth; Error values become {type, message, code, stack}.
// The node uses it instead of pino, whose module graph costs ~1.2 MB of the node's idle memory budget.
import type { LogFn, LogPort } from './log-port.js';
import { CENSOR, REDACTED_KEYS } from './redacted-keys.js';

export const LEVELS = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 } as const;
export type LevelName = keyof typeof LEVELS | 'silent';

const SECRET = new Set<string>(REDACTED_KEYS);
const MAX_DEPTH = 8;

export interface LineLoggerOptions {
  readonly level: LevelName;
  readonly name: string;
  /** Receives each line without its newline. */
  readonly write: (line: string) => void;
  readonly now?: () => Date;
}

function errorFields(error: Error, depth: number, seen: WeakSet<object>): Record<string, unknown> {
  const out: Record<string, unknown> = { type: error.name, message: error.message };
  const code = (error as { code?: unknown }).code;
  if (code !== undefined) out['code'] = loggable(code, depth + 1, seen);
  out['stack'] = error.stack;
  if (error.cause !== undefined) out['cause'] = loggable(error.cause, depth + 1, seen);
  return out;
}

function objectFields(value: object, depth: number, seen: WeakSet<object>): unknown {
  if (value instanceof Error) return errorFields(value, depth, seen);
  if (Array.isArray(value)) return value.map((item) => loggable(item, depth + 1, seen) ?? null);
  if (value instanceof Date) return value.toISOString();
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = SECRET.has(key) ? CENSOR : loggable(item, depth + 1, seen);
  }
  return out;
}

/** A plain, JSON-safe copy of `value`: secrets masked, errors expanded, cycles and depth cut. */
export function loggable(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'function' || typeof value === 'symbol') return undefined;
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[Circular]';
  if (depth >= MAX_DEPTH) return '[Object]';
  seen.add(value);
  try {
    return objectFields(value, depth, seen);
  } finally {
    seen.delete(value);
  }
}

export class LineLogger implements LogPort {
  readonly debug: LogFn;
  readonly info: LogFn;
  readonly warn: LogFn;
  readonly error: LogFn;
  readonly #min: number;
  readonly #options: LineLoggerOptions;

  constructor(options: LineLoggerOptions) {
    this.#options = options;
    this.#min = options.level === 'silent' ? Infinity : LEVELS[options.level];
    this.debug = this.#at(LEVELS.debug);
    this.info = this.#at(LEVELS.info);
    this.warn = this.#at(LEVELS.warn);
    this.error = this.#at(LEVELS.error);
  }

  #at(level: number): LogFn {
    if (level < this.#min) return () => undefined;
    return (first: object | string, msg?: string) => {
      this.#emit(level, first, msg);
    };
  }

  #emit(level: number, first: object | string, msg: string | undefined): void {
    const time = (this.#options.now?.() ?? new Date()).toISOString();
    const head: Record<string, unknown> = { level, time, name: this.#options.name };
    const fields = typeof first === 'string' ? {} : (loggable(first) as Record<string, unknown>);
    const text = typeof first === 'string' ? first : msg;
    let line: string;
    try {
      // The fields go into a copy, so the fallback below is built from the head alone.
      const record: Record<string, unknown> = { ...head };
      for (const [key, value] of Object.entries(fields)) if (!(key in head)) record[key] = value;
      if (text !== undefined) record['msg'] = text;
      line = JSON.stringify(record);
    } catch {
      line = JSON.stringify({ ...head, msg: text ?? '', logError: 'fields not serialisable' });
    }
    this.#options.write(line);
  }
}
