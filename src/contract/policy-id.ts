// EdgeLake-compatible policy ids: validate the one-key shape, then add `id` (md5 of
// the Python repr, or of the `table:` / `cluster:` special strings) and `date`, moving `ledger` last.
// Shared by the node (prepare, insert, push) and the operator (desired master policy id). Pure apart from
// md5, which is deterministic.
import { createHash } from 'node:crypto';
import { AppError } from '../common/errors.js';
import {
  getKey,
  hasKey,
  isJsonFloat,
  isJsonObject,
  jsonObject,
  type JsonObject,
  type JsonValue,
} from './ordered-json.js';
import { pythonRepr, pythonStr } from './python-repr.js';

/** A policy: one key (its type) whose value is an object. */
export interface PolicyParts {
  readonly type: string;
  readonly inner: JsonObject;
}

/** The value is not a one-key object whose value is an object (status 87). */
export class PolicyShapeError extends AppError {
  readonly status = 87;
  constructor(message = 'Wrong policy structure') {
    super('ERR_POLICY_INVALID', message);
  }
}

/** Split a policy into type and inner object, or undefined when the shape is wrong. */
export function policyParts(value: JsonValue): PolicyParts | undefined {
  if (!isJsonObject(value) || value.entries.length !== 1) return undefined;
  const [entry] = value.entries;
  if (entry === undefined || !isJsonObject(entry[1])) return undefined;
  return { type: entry[0], inner: entry[1] };
}

export function makePolicy(type: string, inner: JsonObject): JsonObject {
  return jsonObject([[type, inner]]);
}

export function md5Hex(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

/** `YYYY-MM-DDTHH:MM:SS.ffffffZ` for a millisecond timestamp (microseconds padded with zeros). */
export function formatPolicyDate(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 23)}000Z`;
}

const SPECIAL_KEYS: Readonly<Record<string, readonly string[]>> = {
  table: ['company', 'name', 'dbms'],
  cluster: ['company', 'name', 'parent', 'table'],
};

/** The text whose md5 is the id of a policy without `id`, `date` and `ledger`. */
export function policyHashString(type: string, inner: JsonObject): string {
  const keys = SPECIAL_KEYS[type];
  if (keys === undefined) return pythonRepr(makePolicy(type, inner));
  let out = `${type}:`;
  for (const key of keys) {
    const v = getKey(inner, key);
    if (v !== undefined) out += `${key}:${pythonStr(v)}:`;
  }
  return out;
}

/** Python truthiness of a JSON value (for "re-append ledger when non-empty"). */
function truthy(value: JsonValue | undefined): boolean {
  if (value === undefined || value === null || value === false || value === '') return false;
  if (typeof value === 'bigint') return value !== 0n;
  if (isJsonFloat(value)) return value.value !== 0;
  if (Array.isArray(value)) return value.length > 0;
  if (isJsonObject(value)) return value.entries.length > 0;
  return true;
}

export interface IdResult {
  readonly policy: JsonObject;
  readonly type: string;
  readonly id: string;
  /** The hashed text, or null when the policy already had an id. */
  readonly hashString: string | null;
}

/** Returns the policy with id and date added. Throws PolicyShapeError (87). */
export function addIdAndDate(value: JsonValue, nowIso: string): IdResult {
  const parts = policyParts(value);
  if (parts === undefined) throw new PolicyShapeError();
  const { type, inner } = parts;
  const existingId = getKey(inner, 'id');
  if (existingId !== undefined && hasKey(inner, 'date')) {
    return { policy: makePolicy(type, inner), type, id: pythonStr(existingId), hashString: null };
  }
  const ledger = getKey(inner, 'ledger');
  const tail: Array<[string, JsonValue]> = truthy(ledger) && ledger !== undefined ? [['ledger', ledger]] : [];
  if (existingId !== undefined) {
    const entries = inner.entries.filter(([k]) => k !== 'ledger');
    entries.push(['date', nowIso], ...tail);
    return {
      policy: makePolicy(type, jsonObject(entries)),
      type,
      id: pythonStr(existingId),
      hashString: null,
    };
  }
  const date = getKey(inner, 'date') ?? nowIso;
  const base = jsonObject(inner.entries.filter(([k]) => k !== 'date' && k !== 'ledger'));
  const hashString = policyHashString(type, base);
  const id = md5Hex(hashString);
  const entries = [
    ...base.entries,
    ['id', id] as [string, JsonValue],
    ['date', date] as [string, JsonValue],
    ...tail,
  ];
  return { policy: makePolicy(type, jsonObject(entries)), type, id, hashString };
}
