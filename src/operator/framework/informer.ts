// Shared informer: the reflectors of one (resource type, label selector) across the watched
// namespaces (one cluster-wide reflector when no namespace list is set), read
// as one cache. Several controllers may share it; listeners only enqueue keys. writeBack() feeds the
// answer of the operator's own status write into the cache that holds the key.
import type { Clock } from '../../common/clock.js';
import type { Logger } from '../../common/logger.js';
import type { CacheDelta, CacheReader } from './cache.js';
import { parseKey, type KubeApi, type KubeObject, type ResourceType } from './kube.js';
import type { Metrics } from './metrics.js';
import { Reflector } from './reflector.js';

export interface InformerOptions {
  readonly kube: KubeApi;
  readonly type: ResourceType;
  readonly labelSelector?: string;
  /** Empty: all namespaces. */
  readonly namespaces: readonly string[];
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly random?: () => number;
}

export class Informer implements CacheReader {
  readonly type: ResourceType;
  readonly reflectors: readonly Reflector[];

  constructor(options: InformerOptions) {
    this.type = options.type;
    const namespaces: readonly (string | undefined)[] =
      options.type.namespaced && options.namespaces.length > 0 ? options.namespaces : [undefined];
    this.reflectors = namespaces.map(
      (namespace) =>
        new Reflector({
          kube: options.kube,
          type: options.type,
          clock: options.clock,
          logger: options.logger,
          metrics: options.metrics,
          ...(namespace === undefined ? {} : { namespace }),
          ...(options.labelSelector === undefined ? {} : { labelSelector: options.labelSelector }),
          ...(options.random === undefined ? {} : { random: options.random }),
        }),
    );
  }

  get hasSynced(): boolean {
    return this.reflectors.every((r) => r.hasSynced);
  }

  /** Longest time any reflector has gone without a sign of life (ms). */
  maxLastEventAge(): number {
    return Math.max(0, ...this.reflectors.map((r) => r.lastEventAge()));
  }

  addListener(listener: (delta: CacheDelta) => void): void {
    for (const r of this.reflectors) r.addListener(listener);
  }

  async run(signal: AbortSignal): Promise<void> {
    await Promise.all(this.reflectors.map((r) => r.run(signal)));
  }

  async waitForSync(signal: AbortSignal): Promise<void> {
    await Promise.all(this.reflectors.map((r) => r.waitForSync(signal)));
  }

  /** Hands the object a status write returned to the reflector that caches its key (see Reflector). */
  writeBack(object: KubeObject): boolean {
    let changed = false;
    for (const r of this.#forNamespace(object.metadata.namespace)) {
      if (r.writeBack(object)) changed = true;
    }
    return changed;
  }

  get(key: string): KubeObject | undefined {
    const ref = parseKey(key);
    for (const r of this.#forNamespace(ref.namespace)) {
      const object = r.cache.get(key);
      if (object !== undefined) return object;
    }
    return undefined;
  }

  list(): readonly KubeObject[] {
    return this.reflectors.flatMap((r) => r.cache.list());
  }

  keys(): readonly string[] {
    return this.reflectors.flatMap((r) => r.cache.keys());
  }

  byOwner(uid: string): readonly KubeObject[] {
    return this.reflectors.flatMap((r) => r.cache.byOwner(uid));
  }

  byLabel(name: string, value: string): readonly KubeObject[] {
    return this.reflectors.flatMap((r) => r.cache.byLabel(name, value));
  }

  get size(): number {
    return this.reflectors.reduce((n, r) => n + r.cache.size, 0);
  }

  #forNamespace(namespace: string | undefined): readonly Reflector[] {
    const match = this.reflectors.filter((r) => r.namespace === undefined || r.namespace === namespace);
    return match;
  }
}
