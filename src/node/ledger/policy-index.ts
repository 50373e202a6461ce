// In-memory indexes over the local ledger file (anylog-node.md §8.5): by id, by type, and lazily built
// per-(type, attribute) value indexes, so `blockchain get <type> where name = X` and the duplicate-id check
// stay O(1)/O(log n) as the ledger grows. Appends update every index; rewrites rebuild them.
import { getKey, type JsonValue } from '../../contract/ordered-json.js';
import type { FilePolicy } from '../ports/ledger.js';

interface AttributeIndex {
  /** Lower-cased string values → policies (file order). */
  readonly values: Map<string, FilePolicy[]>;
  /** Policies whose value is not a plain string (numbers, lists, booleans, `*`): always candidates. */
  readonly other: FilePolicy[];
}

const EMPTY: readonly FilePolicy[] = Object.freeze([]);

export class PolicyIndex {
  private list: FilePolicy[] = [];
  private readonly ids = new Map<string, FilePolicy>();
  private readonly types = new Map<string, FilePolicy[]>();
  private readonly attributes = new Map<string, AttributeIndex>();

  constructor(policies: readonly FilePolicy[] = []) {
    for (const p of policies) this.add(p);
  }

  get size(): number {
    return this.list.length;
  }

  all(): readonly FilePolicy[] {
    return this.list;
  }

  policies(): readonly FilePolicy[] {
    return this.list;
  }

  byId(id: string): FilePolicy | undefined {
    return this.ids.get(id);
  }

  byType(type: string): readonly FilePolicy[] {
    return this.types.get(type) ?? EMPTY;
  }

  add(policy: FilePolicy): void {
    this.list.push(policy);
    if (policy.id !== '' && !this.ids.has(policy.id)) this.ids.set(policy.id, policy);
    const ofType = this.types.get(policy.type);
    if (ofType === undefined) this.types.set(policy.type, [policy]);
    else ofType.push(policy);
    for (const [name, index] of this.attributes) {
      if (name.startsWith(`${policy.type}\u0000`))
        indexPolicy(index, policy, name.slice(policy.type.length + 1));
    }
  }

  candidates(type: string, key: string, value: string): readonly FilePolicy[] {
    const name = `${type}\u0000${key}`;
    let index = this.attributes.get(name);
    if (index === undefined) {
      index = { values: new Map(), other: [] };
      for (const p of this.byType(type)) indexPolicy(index, p, key);
      this.attributes.set(name, index);
    }
    const exact = index.values.get(value.toLowerCase()) ?? EMPTY;
    if (index.other.length === 0) return exact;
    return mergeBySeq(exact, index.other);
  }
}

function indexPolicy(index: AttributeIndex, policy: FilePolicy, key: string): void {
  const v: JsonValue | undefined = getKey(policy.inner, key);
  if (v === undefined) return;
  if (typeof v !== 'string' || v === '*') {
    index.other.push(policy);
    return;
  }
  const k = v.toLowerCase();
  const bucket = index.values.get(k);
  if (bucket === undefined) index.values.set(k, [policy]);
  else bucket.push(policy);
}

function mergeBySeq(a: readonly FilePolicy[], b: readonly FilePolicy[]): FilePolicy[] {
  const out: FilePolicy[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = a[i];
    const y = b[j];
    if (y === undefined || (x !== undefined && x.seq < y.seq)) {
      if (x !== undefined) out.push(x);
      i++;
    } else {
      out.push(y);
      j++;
    }
  }
  return out;
}
