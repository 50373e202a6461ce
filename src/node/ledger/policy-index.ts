// In-memory indexes over the local ledger file: by id, by type, and lazily built
// per-(type, attribute) value indexes, so `blockchain get <type> where name = X` and the duplicate-id check
// stay O(1)/O(log n) as the ledger grows. Appends update every index; truncate() takes policies off the
// end (an incremental sync replacing the file's tail); rewrites rebuild.
import type { FilePolicy } from '../ports/ledger.js';
import { policyAttribute } from './policy-line.js';

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

  /** Remove the policies from position `size` on (they are the last of every list they are in). */
  truncate(size: number): void {
    while (this.list.length > size) {
      const policy = this.list.pop();
      if (policy === undefined) return;
      if (this.ids.get(policy.id) === policy) this.ids.delete(policy.id);
      const ofType = this.types.get(policy.type);
      if (ofType !== undefined && ofType[ofType.length - 1] === policy) ofType.pop();
      if (ofType?.length === 0) this.types.delete(policy.type);
      for (const [name, index] of this.attributes) {
        if (name.startsWith(`${policy.type}\u0000`))
          unindexPolicy(index, policy, name.slice(policy.type.length + 1));
      }
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
  const v = policyAttribute(policy, key);
  if (v === undefined) return;
  if (v === null || v === '*') {
    index.other.push(policy);
    return;
  }
  const k = v.toLowerCase();
  const bucket = index.values.get(k);
  if (bucket === undefined) index.values.set(k, [policy]);
  else bucket.push(policy);
}

function unindexPolicy(index: AttributeIndex, policy: FilePolicy, key: string): void {
  const v = policyAttribute(policy, key);
  if (v === undefined) return;
  const plain = v !== null && v !== '*';
  const list = plain ? index.values.get(v.toLowerCase()) : index.other;
  if (list === undefined || list[list.length - 1] !== policy) return;
  list.pop();
  if (plain && list.length === 0) index.values.delete(v.toLowerCase());
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
