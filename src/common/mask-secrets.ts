// A depth-unlimited, cycle-safe copy of a log record with the value of every secret key (redacted-keys.ts)
// replaced by the censor. The operator's pino logger runs it once per record from `formatters.log`, because
// pino's path-based redaction only reaches the depths its paths spell out.
import { CENSOR, REDACTED_KEYS } from './redacted-keys.js';

const SECRET: ReadonlySet<string> = new Set<string>(REDACTED_KEYS);

/** Turns an Error into a plain object whose own enumerable fields are walked next. */
export type ErrorExpander = (error: Error) => object;

/** What JSON.stringify would write for `value`: an expanded error, toJSON's result (Buffer, URL, ...) or itself. */
function visible(value: object, expand: ErrorExpander): unknown {
  if (value instanceof Error) return expand(value);
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  return typeof toJSON === 'function' ? (toJSON as () => unknown).call(value) : value;
}

function walk(value: unknown, ancestors: Set<object>, expand: ErrorExpander): unknown {
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  if (ancestors.has(value)) return '[Circular]';
  ancestors.add(value);
  try {
    if (Array.isArray(value)) return value.map((item: unknown) => walk(item, ancestors, expand));
    const source = visible(value, expand);
    if (source !== value) return walk(source, ancestors, expand);
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] = SECRET.has(key) ? CENSOR : walk(item, ancestors, expand);
    }
    return out;
  } finally {
    ancestors.delete(value);
  }
}

/**
 * A copy of `record` safe to log: secret keys masked at every depth (objects, arrays, expanded errors),
 * a reference to an enclosing object replaced by "[Circular]". Primitives are returned as they are.
 */
export function maskSecrets<T>(record: T, expand: ErrorExpander): T {
  return walk(record, new Set<object>(), expand) as T;
}
