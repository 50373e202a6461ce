// In-memory store of normalised objects for one reflector, keyed by `namespace/name`, with indexes by
// controller owner uid and by label. replace() diffs a fresh LIST against the store so a relist after
// 410 emits the deletes the watch missed; upsert() never rolls an object back to an
// older resourceVersion; writeBack() takes the answer of the operator's own status write. No I/O.
import { objectKey, refOf, type KubeObject } from './kube.js';
import { compareResourceVersions, isNewerResourceVersion } from './resource-version.js';

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

  /**
   * Insert or replace from a watch event; returns the delta, or undefined when the resourceVersion did
   * not change or is older than the cached one (a write-back may already hold a newer state). When the
   * two versions cannot be ordered, the event wins (watch order).
   */
  upsert(object: KubeObject): CacheDelta | undefined {
    const old = this.#objects.get(objectKey(refOf(object)));
    const order = compareResourceVersions(object.metadata.resourceVersion, old?.metadata.resourceVersion);
    if (old !== undefined && order !== undefined && order <= 0) return undefined;
    return this.#set(object);
  }

  /**
   * Stores the object an API write of this operator returned (its status write), only when the key is
   * cached with the same uid and the returned resourceVersion is known to be newer: a deleted object is
   * not resurrected, a recreated one is not confused with its predecessor, and an unordered (non-decimal)
   * version never overwrites. Returns the delta, or undefined when nothing changed.
   */
  writeBack(object: KubeObject): CacheDelta | undefined {
    const old = this.#objects.get(objectKey(refOf(object)));
    if (old === undefined) return undefined;
    if (old.metadata.uid !== undefined && old.metadata.uid !== object.metadata.uid) return undefined;
    if (!isNewerResourceVersion(object.metadata.resourceVersion, old.metadata.resourceVersion))
      return undefined;
    return this.#set(object);
  }

  /** Insert or replace unless the resourceVersion is the same string; returns the delta. */
  #set(object: KubeObject): CacheDelta | undefined {
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

  /**
   * Replace the whole content with a fresh LIST; returns the deltas, deletes included. The LIST is
   * authoritative: an object it holds replaces the cached one whatever the resourceVersions (the watch
   * that follows, from the list's version, delivers anything newer).
   */
  replace(items: readonly KubeObject[]): CacheDelta[] {
    const deltas: CacheDelta[] = [];
    const seen = new Set<string>();
    for (const item of items) {
      seen.add(objectKey(refOf(item)));
      const delta = this.#set(item);
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
