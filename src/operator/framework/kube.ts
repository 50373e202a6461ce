// KubeApi port of the operator framework: the verbs controllers and the framework itself use against
// the Kubernetes API, plus the object, resource and error types they share. kube-client.ts implements
// it on @kubernetes/client-node; nothing else in the operator talks to the API server directly.
import { AppError } from '../../common/errors.js';

/** A resource type: where it lives in the API and whether it is namespaced. */
export interface ResourceType {
  /** API group; '' for the core group. */
  readonly group: string;
  readonly version: string;
  readonly plural: string;
  readonly kind: string;
  readonly namespaced: boolean;
}

export interface OwnerReference {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly uid: string;
  readonly controller?: boolean;
  readonly blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  readonly name: string;
  readonly namespace?: string;
  readonly uid?: string;
  readonly resourceVersion?: string;
  readonly generation?: number;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly finalizers?: readonly string[];
  readonly ownerReferences?: readonly OwnerReference[];
  readonly deletionTimestamp?: string;
  readonly creationTimestamp?: string;
  readonly generateName?: string;
}

/** A Kubernetes object as JSON: apiVersion and kind always set, metadata narrowed once on entry. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: ObjectMeta;
  readonly [field: string]: unknown;
}

/** Identifies one object of a resource type. */
export interface ObjectRef {
  readonly namespace?: string;
  readonly name: string;
}

export interface ListOptions {
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  readonly limit?: number;
  readonly continueToken?: string;
  readonly signal?: AbortSignal;
}

export interface ListPage {
  readonly items: readonly KubeObject[];
  readonly resourceVersion: string;
  readonly continueToken?: string;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';

export interface WatchEvent {
  readonly type: WatchEventType;
  readonly object: KubeObject;
}

export interface WatchOptions {
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly resourceVersion: string;
  readonly timeoutSeconds: number;
  readonly signal: AbortSignal;
  /** Called once the server accepted the watch (HTTP 200). */
  readonly onOpen?: () => void;
}

/** Why a watch stream ended without an error. */
export type WatchEnd = 'closed' | 'timeout' | 'aborted';

export interface WriteOptions {
  readonly fieldManager: string;
  readonly signal?: AbortSignal;
}

/** One JSON Patch operation (RFC 6902). */
export interface JsonPatchOp {
  readonly op: 'add' | 'remove' | 'replace' | 'test' | 'move' | 'copy';
  readonly path: string;
  readonly value?: unknown;
  readonly from?: string;
}

export interface CreateResult {
  readonly object: KubeObject;
  readonly created: boolean;
}

/** The API verbs the operator uses. Every write names its field manager and content type explicitly. */
export interface KubeApi {
  /** GET one object; undefined when it does not exist. */
  get(type: ResourceType, ref: ObjectRef, signal?: AbortSignal): Promise<KubeObject | undefined>;
  /** One page of a LIST. */
  list(type: ResourceType, options?: ListOptions): Promise<ListPage>;
  /**
   * WATCH from a resourceVersion. onEvent is called synchronously for each event; the promise
   * resolves when the stream ends normally and rejects with a KubeApiError (410 included).
   */
  watch(type: ResourceType, options: WatchOptions, onEvent: (event: WatchEvent) => void): Promise<WatchEnd>;
  /** Server-side apply (application/apply-patch+yaml, force) of the fields in `object`. */
  apply(type: ResourceType, object: KubeObject, options: WriteOptions): Promise<KubeObject>;
  /** Server-side apply to the status subresource. */
  applyStatus(type: ResourceType, object: KubeObject, options: WriteOptions): Promise<KubeObject>;
  /** POST; on 409 GET the existing object instead. */
  createIfAbsent(type: ResourceType, object: KubeObject, options: WriteOptions): Promise<CreateResult>;
  /** POST; throws KubeApiError 409 when the object exists. */
  create(type: ResourceType, object: KubeObject, options: WriteOptions): Promise<KubeObject>;
  /** PUT with the object's resourceVersion (compare-and-swap). */
  replace(type: ResourceType, object: KubeObject, options: WriteOptions): Promise<KubeObject>;
  /** application/merge-patch+json. */
  mergePatch(type: ResourceType, ref: ObjectRef, patch: unknown, options: WriteOptions): Promise<KubeObject>;
  /** application/json-patch+json; include a `test` op to guard the change. */
  jsonPatch(
    type: ResourceType,
    ref: ObjectRef,
    ops: readonly JsonPatchOp[],
    options: WriteOptions,
  ): Promise<KubeObject>;
  /** DELETE; false when it was already gone. */
  delete(type: ResourceType, ref: ObjectRef, signal?: AbortSignal): Promise<boolean>;
}

export interface KubeApiErrorInit {
  readonly status: number;
  readonly reason: string;
  readonly message: string;
  readonly retryAfterMs?: number;
  readonly method?: string;
  readonly path?: string;
  readonly cause?: unknown;
}

/** An error answer (or a transport failure, status 0) from the API server, with the Status parsed. */
export class KubeApiError extends AppError {
  readonly status: number;
  /** metav1.Status reason (NotFound, Conflict, Expired, AlreadyExists, …) or a transport code. */
  readonly reason: string;
  /** Retry-After in milliseconds, when the server sent one. */
  readonly retryAfter: number | undefined;

  constructor(init: KubeApiErrorInit) {
    const where = init.method === undefined ? '' : ` (${init.method} ${init.path ?? ''})`;
    super('ERR_KUBE_API', `${init.message}${where}`, {
      retryable: init.status === 0 || init.status === 409 || init.status === 429 || init.status >= 500,
      cause: init.cause,
      details: { status: init.status, reason: init.reason },
    });
    this.status = init.status;
    this.reason = init.reason;
    this.retryAfter = init.retryAfterMs;
  }
}

function statusOf(err: unknown): number | undefined {
  return err instanceof KubeApiError ? err.status : undefined;
}

export function isNotFound(err: unknown): boolean {
  return statusOf(err) === 404;
}

export function isConflict(err: unknown): boolean {
  return statusOf(err) === 409 && !(err instanceof KubeApiError && err.reason === 'AlreadyExists');
}

export function isAlreadyExists(err: unknown): boolean {
  return err instanceof KubeApiError && err.status === 409 && err.reason === 'AlreadyExists';
}

/** 410 Gone or the `Expired` reason: the resourceVersion or continue token is too old; relist. */
export function isGone(err: unknown): boolean {
  return statusOf(err) === 410 || (err instanceof KubeApiError && err.reason === 'Expired');
}

export function isTooManyRequests(err: unknown): boolean {
  return statusOf(err) === 429;
}

export function isUnauthorized(err: unknown): boolean {
  const status = statusOf(err);
  return status === 401 || status === 403;
}

/** Path prefix of a resource type: /api/v1 or /apis/<group>/<version>. */
export function apiPrefix(type: ResourceType): string {
  return type.group === '' ? `/api/${type.version}` : `/apis/${type.group}/${type.version}`;
}

export function apiVersionOf(type: ResourceType): string {
  return type.group === '' ? type.version : `${type.group}/${type.version}`;
}

/** `namespace/name` for namespaced objects, `name` otherwise. */
export function objectKey(ref: ObjectRef): string {
  return ref.namespace === undefined || ref.namespace === '' ? ref.name : `${ref.namespace}/${ref.name}`;
}

export function parseKey(key: string): ObjectRef {
  const slash = key.indexOf('/');
  return slash === -1 ? { name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

export function refOf(object: KubeObject): ObjectRef {
  const ns = object.metadata.namespace;
  return ns === undefined ? { name: object.metadata.name } : { namespace: ns, name: object.metadata.name };
}
