// In-memory store of normalised objects for one reflector, keyed by `namespace/name`, with indexes by
// controller owner uid and by label. replace() diffs a fresh LIST against the store so a relist after
// 410 emits the deletes the watch missed (operator.md §11.3). No I/O.
import { objectKey, refOf, type KubeObject } from './kube.js';

export type CacheDelta =
  | { readonly type: 'added'; readonly object: KubeObject }
  | { readonly type: 'updated'; readonly object: KubeObject; readonly old: KubeObject }
  | { readonly type: 'deleted'; readonly object: KubeObject };

/** Read-only view handed to controllers. */
export interface CacheReader {
  get(key: string): KubeObject | undefined;
  list(): readonly KubeObject[];
  keys(): readonly string[];
  /** Objects that carry an owner reference with this uid. */
  byOwner(uid: string): readonly KubeObject[];
  /** Objects with label `name=value`. */
  byLabel(name: string, value: string): readonly KubeObject[];
  readonly size: number;
}

function addTo(index: Map<string, Set<string>>, indexKey: string, key: string): void {
  let set = index.get(indexKey);
  if (set === undefined) {
    set = new Set();
    index.set(indexKey, set);
  }
  set.add(key);
}

function removeFrom(index: Map<string, Set<string>>, indexKey: string, key: string): void {
  const set = index.get(indexKey);
  if (set === undefined) return;
  set.delete(key);
  if (set.size === 0) index.delete(indexKey);
}

export class ObjectCache implements CacheReader {
  readonly #objects = new Map<string, KubeObject>();
  readonly #byOwner = new Map<string, Set<string>>();
  readonly #byLabel = new Map<string, Set<string>>();

  get size(): number {
    return this.#objects.size;
  }

  get(key: string): KubeObject | undefined {
    return this.#objects.get(key);
  }

  list(): readonly KubeObject[] {
    return [...this.#objects.values()];
  }

  keys(): readonly string[] {
    return [...this.#objects.keys()];
  }

  byOwner(uid: string): readonly KubeObject[] {
    return this.#lookup(this.#byOwner.get(uid));
  }

  byLabel(name: string, value: string): readonly KubeObject[] {
    return this.#lookup(this.#byLabel.get(`${name}=${value}`));
  }

  /** Insert or replace; returns the delta, or undefined when the resourceVersion did not change. */
  upsert(object: KubeObject): CacheDelta | undefined {
    const key = objectKey(refOf(object));
    const old = this.#objects.get(key);
    if (old !== undefined && old.metadata.resourceVersion === object.metadata.resourceVersion)
      return undefined;
    if (old !== undefined) this.#unindex(key, old);
    this.#objects.set(key, object);
    this.#index(key, object);
    return old === undefined ? { type: 'added', object } : { type: 'updated', object, old };
  }

  /** Remove; returns the delta with the last known state, or undefined when it was not cached. */
  remove(object: KubeObject): CacheDelta | undefined {
    const key = objectKey(refOf(object));
    const old = this.#objects.get(key);
    if (old === undefined) return undefined;
    this.#unindex(key, old);
    this.#objects.delete(key);
    return { type: 'deleted', object: old };
  }

  /** Replace the whole content with a fresh LIST; returns the deltas, deletes included. */
  replace(items: readonly KubeObject[]): CacheDelta[] {
    const deltas: CacheDelta[] = [];
    const seen = new Set<string>();
    for (const item of items) {
      seen.add(objectKey(refOf(item)));
      const delta = this.upsert(item);
      if (delta !== undefined) deltas.push(delta);
    }
    for (const [key, old] of [...this.#objects]) {
      if (seen.has(key)) continue;
      const delta = this.remove(old);
      if (delta !== undefined) deltas.push(delta);
    }
    return deltas;
  }

  #lookup(keys: Set<string> | undefined): readonly KubeObject[] {
    if (keys === undefined) return [];
    const out: KubeObject[] = [];
    for (const key of keys) {
      const object = this.#objects.get(key);
      if (object !== undefined) out.push(object);
    }
    return out;
  }

  #index(key: string, object: KubeObject): void {
    for (const owner of object.metadata.ownerReferences ?? []) addTo(this.#byOwner, owner.uid, key);
    for (const [name, value] of Object.entries(object.metadata.labels ?? {})) {
      addTo(this.#byLabel, `${name}=${value}`, key);
    }
  }

  #unindex(key: string, object: KubeObject): void {
    for (const owner of object.metadata.ownerReferences ?? []) removeFrom(this.#byOwner, owner.uid, key);
    for (const [name, value] of Object.entries(object.metadata.labels ?? {})) {
      removeFrom(this.#byLabel, `${name}=${value}`, key);
    }
  }
}
