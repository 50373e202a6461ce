// The KubeApi handed to reconcile passes (manager.ts): every verb goes straight to the real client,
// and the object a successful status write returns is also handed to the informer caches of its type,
// so a pass that follows at once reads the status just written instead of the one before it
// (one Event per transition). The caches decide whether it is newer.
import type {
  CreateResult,
  JsonPatchOp,
  KubeApi,
  KubeObject,
  ListOptions,
  ListPage,
  ObjectRef,
  ResourceType,
  WatchEnd,
  WatchEvent,
  WatchOptions,
  WriteOptions,
} from './kube.js';

/** Receives what a status write returned; must not throw and must not do I/O. */
export type StatusWrittenSink = (type: ResourceType, object: KubeObject) => void;

export class StatusWriteBackKube implements KubeApi {
  readonly #kube: KubeApi;
  readonly #sink: StatusWrittenSink;

  constructor(kube: KubeApi, sink: StatusWrittenSink) {
    this.#kube = kube;
    this.#sink = sink;
  }

  async applyStatus(type: ResourceType, object: KubeObject, options: WriteOptions): Promise<KubeObject> {
    const written = await this.#kube.applyStatus(type, object, options);
    this.#sink(type, written);
    return written;
  }

  get(type: ResourceType, ref: ObjectRef, signal?: AbortSignal): Promise<KubeObject | undefined> {
    return this.#kube.get(type, ref, signal);
  }

  list(type: ResourceType, options?: ListOptions): Promise<ListPage> {
    return this.#kube.list(type, options);
  }

  watch(type: ResourceType, options: WatchOptions, onEvent: (event: WatchEvent) => void): Promise<WatchEnd> {
    return this.#kube.watch(type, options, onEvent);
  }

  apply(type: ResourceType, object: KubeObject, options: WriteOptions): Promise<KubeObject> {
    return this.#kube.apply(type, object, options);
  }

  createIfAbsent(type: ResourceType, object: KubeObject, options: WriteOptions): Promise<CreateResult> {
    return this.#kube.createIfAbsent(type, object, options);
  }

  create(type: ResourceType, object: KubeObject, options: WriteOptions): Promise<KubeObject> {
    return this.#kube.create(type, object, options);
  }

  replace(type: ResourceType, object: KubeObject, options: WriteOptions): Promise<KubeObject> {
    return this.#kube.replace(type, object, options);
  }

  mergePatch(type: ResourceType, ref: ObjectRef, patch: unknown, options: WriteOptions): Promise<KubeObject> {
    return this.#kube.mergePatch(type, ref, patch, options);
  }

  jsonPatch(
    type: ResourceType,
    ref: ObjectRef,
    ops: readonly JsonPatchOp[],
    options: WriteOptions,
  ): Promise<KubeObject> {
    return this.#kube.jsonPatch(type, ref, ops, options);
  }

  delete(type: ResourceType, ref: ObjectRef, signal?: AbortSignal): Promise<boolean> {
    return this.#kube.delete(type, ref, signal);
  }
}
