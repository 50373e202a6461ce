// The status a pass compares against (operator.md §3.3 rule 4, §11.9 Events on transitions only). The
// informer cache learns of a pass's own status write only when the watch delivers it, so a pass that
// follows at once (an event queued meanwhile, even a metadata change of the CR itself) would read the
// status from before the write and report the same transition again. Each key's last handed-over
// status is remembered with the statuses known to be older: the one that pass read and the initial
// status it wrote. While the cached status is one of those, the remembered status is the baseline;
// once the cache holds anything else (the write arrived, or another writer), the cache is.
import { canonicalJson } from '../../shared/hash.js';
import type { KubeObject } from '../framework/kube.js';

interface Remembered {
  readonly uid: string | undefined;
  /** Canonical JSON of statuses older than `status`. */
  readonly older: ReadonlySet<string>;
  readonly status: Readonly<Record<string, unknown>>;
}

/** Bound on remembered keys; the least recently written are forgotten first. */
export const MAX_REMEMBERED = 10_000;

const key = (status: unknown): string => canonicalJson(status ?? null);

export class StatusBaseline {
  readonly #byKey = new Map<string, Remembered>();
  readonly #max: number;

  constructor(max = MAX_REMEMBERED) {
    this.#max = max;
  }

  /** The previous status for this pass: the remembered one while the cache is older, else the cached. */
  previous(objectKey: string, object: KubeObject): unknown {
    const r = this.#byKey.get(objectKey);
    const cached = object['status'];
    if (r !== undefined && r.uid === object.metadata.uid && r.older.has(key(cached))) return r.status;
    return cached;
  }

  /**
   * Records the status a pass over `object` (as read from the cache) handed to the writer;
   * `written` are statuses the pass wrote before (the initial status), older than `status` too.
   */
  remember(
    objectKey: string,
    object: KubeObject,
    status: Readonly<Record<string, unknown>>,
    written: readonly unknown[] = [],
  ): void {
    const older = new Set([key(object['status']), ...written.map(key)]);
    this.#byKey.delete(objectKey);
    this.#byKey.set(objectKey, { uid: object.metadata.uid, older, status });
    while (this.#byKey.size > this.#max) {
      const oldest = this.#byKey.keys().next();
      if (oldest.done === true) break;
      this.#byKey.delete(oldest.value);
    }
  }

  get size(): number {
    return this.#byKey.size;
  }
}
