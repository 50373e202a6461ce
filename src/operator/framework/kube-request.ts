// Pure pieces of the KubeApi adapter (kube-client.ts): request paths of a resource type, the bodies of
// server-side apply and status writes (server-owned metadata dropped), list pages normalised, and
// transport failures turned into KubeApiError. No I/O.
import {
  KubeApiError,
  apiPrefix,
  type KubeObject,
  type ListPage,
  type ObjectRef,
  type ResourceType,
} from './kube.js';
import type { TransportRequest } from './http-transport.js';
import { normalizeObject } from './normalize.js';

/** HTTP verbs and patch content types (the values of client-node's HttpMethod and PatchStrategy). */
export const HttpMethod = {
  GET: 'GET',
  POST: 'POST',
  PUT: 'PUT',
  PATCH: 'PATCH',
  DELETE: 'DELETE',
} as const;
export type HttpMethod = (typeof HttpMethod)[keyof typeof HttpMethod];

export const PatchStrategy = {
  JsonPatch: 'application/json-patch+json',
  MergePatch: 'application/merge-patch+json',
  ServerSideApply: 'application/apply-patch+yaml',
} as const;
export type PatchStrategy = (typeof PatchStrategy)[keyof typeof PatchStrategy];

/** What kube-client.ts asks for: a verb, a path and its query, an optional JSON body. */
export interface RequestSpec {
  readonly method: HttpMethod;
  readonly path: string;
  readonly query?: Readonly<Record<string, string | undefined>>;
  readonly body?: unknown;
  readonly contentType?: string;
  readonly signal?: AbortSignal | undefined;
}

/** The transport request of `spec`, bounded by `timeoutMs` besides the caller's signal. */
export function toTransportRequest(spec: RequestSpec, timeoutMs: number): TransportRequest {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(spec.query ?? {})) if (v !== undefined) query.set(k, v);
  const qs = query.toString();
  const timeout = AbortSignal.timeout(timeoutMs);
  return {
    method: spec.method,
    path: qs === '' ? spec.path : `${spec.path}?${qs}`,
    signal: spec.signal === undefined ? timeout : AbortSignal.any([spec.signal, timeout]),
    ...(spec.body === undefined
      ? {}
      : { body: JSON.stringify(spec.body), contentType: spec.contentType ?? 'application/json' }),
  };
}

export function collectionPath(type: ResourceType, namespace: string | undefined): string {
  const ns = type.namespaced && namespace !== undefined && namespace !== '' ? `/namespaces/${namespace}` : '';
  return `${apiPrefix(type)}${ns}/${type.plural}`;
}

export function objectPath(type: ResourceType, ref: ObjectRef, subresource?: string): string {
  const base = `${collectionPath(type, ref.namespace)}/${encodeURIComponent(ref.name)}`;
  return subresource === undefined ? base : `${base}/${subresource}`;
}

export function omit(record: object, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([k]) => !keys.includes(k)));
}

const SERVER_OWNED_METADATA = ['resourceVersion', 'uid', 'creationTimestamp', 'generation', 'managedFields'];

/** Apply bodies never carry server-owned metadata, nor status for children. */
export function applyBody(object: KubeObject, keepStatus: boolean): Record<string, unknown> {
  const body = omit(object, keepStatus ? [] : ['status']);
  return { ...body, metadata: omit(object.metadata, SERVER_OWNED_METADATA) };
}

export function statusBody(object: KubeObject): Record<string, unknown> {
  const meta = object.metadata;
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    metadata:
      meta.namespace === undefined ? { name: meta.name } : { name: meta.name, namespace: meta.namespace },
    status: object['status'],
  };
}

export function retryAfterMs(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

export function optionalRetryAfter(ms: number | undefined): { retryAfterMs?: number } {
  return ms === undefined ? {} : { retryAfterMs: ms };
}

export function transportError(
  err: unknown,
  spec: { readonly method: string; readonly path: string; readonly signal?: AbortSignal | undefined },
): KubeApiError {
  const aborted = spec.signal?.aborted === true;
  const name = err instanceof Error ? err.name : 'Error';
  const reason = aborted ? 'Aborted' : name === 'TimeoutError' ? 'Timeout' : 'TransportError';
  const message = err instanceof Error ? err.message : String(err);
  return new KubeApiError({ status: 0, reason, message, method: spec.method, path: spec.path, cause: err });
}

export function toListPage(raw: unknown, type: ResourceType): ListPage {
  const body = (raw ?? {}) as {
    items?: unknown;
    metadata?: { resourceVersion?: unknown; continue?: unknown };
  };
  const items = Array.isArray(body.items)
    ? body.items.map((item: unknown) => normalizeObject(item, type))
    : [];
  const rv = typeof body.metadata?.resourceVersion === 'string' ? body.metadata.resourceVersion : '';
  const token = body.metadata?.continue;
  return typeof token === 'string' && token !== ''
    ? { items, resourceVersion: rv, continueToken: token }
    : { items, resourceVersion: rv };
}
