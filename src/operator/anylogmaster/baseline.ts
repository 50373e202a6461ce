// The status a pass compares against (operator.md §3.3 rule 4, §11.9 Events on transitions only). The
// informer cache learns of a pass's own status write only when the watch delivers it, so a pass that
// follows at once (a pod or StatefulSet event queued meanwhile) would read the status from before the
// write and report the same transition again. Each key's last handed-over status is remembered with
// the resourceVersion of the object that pass read (and of the pass's own earlier writes); while the
// cache still holds one of those, the remembered status is the baseline, otherwise the cache is (after
// a restart, or once anything newer arrived, the cache wins).
import type { KubeObject } from '../framework/kube.js';

interface Remembered {
  readonly uid: string | undefined;
  /** Versions older than `status`: the object the pass read and what the pass itself wrote before. */
  readonly versions: ReadonlySet<string>;
  readonly status: Readonly<Record<string, unknown>>;
}

/** Bound on remembered keys; the least recently written are forgotten first. */
export const MAX_REMEMBERED = 10_000;

export class StatusBaseline {
  readonly #byKey = new Map<string, Remembered>();
  readonly #max: number;

  constructor(max = MAX_REMEMBERED) {
    this.#max = max;
  }

  /** The previous status for this pass: the remembered one while the cache has not moved, else the cached. */
  previous(key: string, object: KubeObject): unknown {
    const r = this.#byKey.get(key);
    const meta = object.metadata;
    const rv = meta.resourceVersion;
    if (r !== undefined && rv !== undefined && r.uid === meta.uid && r.versions.has(rv)) return r.status;
    return object['status'];
  }

  /**
   * Records the status a pass over `object` (as read from the cache) handed to the writer;
   * `written` are the resourceVersions of writes the pass made before (an initial status).
   */
  remember(
    key: string,
    object: KubeObject,
    status: Readonly<Record<string, unknown>>,
    written: readonly string[] = [],
  ): void {
    const versions = new Set(written);
    if (object.metadata.resourceVersion !== undefined) versions.add(object.metadata.resourceVersion);
    this.#byKey.delete(key);
    this.#byKey.set(key, { uid: object.metadata.uid, versions, status });
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
