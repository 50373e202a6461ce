// KubeApi adapter on @kubernetes/client-node 2.x: the ONLY runtime importer of the library (rule D3).
// Requests go through the library's RequestContext/HTTP stack with explicit content types and field
// managers (operator.md §11.5); watches use its low-level Watch. Every error becomes a KubeApiError
// with the Status parsed, and every request is counted in rest_client_requests_total{code,method,host}.
import {
  HttpMethod,
  IsomorphicFetchHttpLibrary,
  KubeConfig,
  PatchStrategy,
  RequestContext,
  Watch,
} from '@kubernetes/client-node';
import {
  KubeApiError,
  apiPrefix,
  isAlreadyExists,
  refOf,
  type CreateResult,
  type JsonPatchOp,
  type KubeApi,
  type KubeObject,
  type ListOptions,
  type ListPage,
  type ObjectRef,
  type ResourceType,
  type WatchEnd,
  type WatchEvent,
  type WatchOptions,
  type WriteOptions,
} from './kube.js';
import { normalizeObject, parseStatusBody } from './normalize.js';
import { runWatch } from './kube-watch.js';
import type { Metrics } from './metrics.js';

export { KubeApiError, isConflict, isGone, isNotFound, isTooManyRequests } from './kube.js';

const REQUEST_TIMEOUT_MS = 30_000;

type Dispatcher = NonNullable<ReturnType<RequestContext['getDispatcher']>>;

interface RequestSpec {
  readonly method: HttpMethod;
  readonly path: string;
  readonly query?: Readonly<Record<string, string | undefined>>;
  readonly body?: unknown;
  readonly contentType?: string;
  readonly signal?: AbortSignal | undefined;
}

interface PatchSpec {
  readonly type: ResourceType;
  readonly ref: ObjectRef;
  readonly body: unknown;
  readonly contentType: PatchStrategy;
  readonly options: WriteOptions;
  readonly subresource?: string;
}

export interface KubeClientOptions {
  readonly metrics: Metrics;
  /** Path of a kubeconfig file; when absent KubeConfig.loadFromDefault() (KUBECONFIG, then in-cluster). */
  readonly kubeconfigPath?: string;
}

/** Builds the adapter from the default kubeconfig (operator.md §11.13). */
export function createKubeClient(options: KubeClientOptions): KubeClient {
  const kc = new KubeConfig();
  if (options.kubeconfigPath === undefined) kc.loadFromDefault();
  else kc.loadFromFile(options.kubeconfigPath);
  return new KubeClient(kc, options.metrics);
}

function collectionPath(type: ResourceType, namespace: string | undefined): string {
  const ns = type.namespaced && namespace !== undefined && namespace !== '' ? `/namespaces/${namespace}` : '';
  return `${apiPrefix(type)}${ns}/${type.plural}`;
}

function objectPath(type: ResourceType, ref: ObjectRef, subresource?: string): string {
  const base = `${collectionPath(type, ref.namespace)}/${encodeURIComponent(ref.name)}`;
  return subresource === undefined ? base : `${base}/${subresource}`;
}

function omit(record: object, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([k]) => !keys.includes(k)));
}

const SERVER_OWNED_METADATA = ['resourceVersion', 'uid', 'creationTimestamp', 'generation', 'managedFields'];

/** Apply bodies never carry server-owned metadata, nor status for children (operator.md §11.5). */
function applyBody(object: KubeObject, keepStatus: boolean): Record<string, unknown> {
  const body = omit(object, keepStatus ? [] : ['status']);
  return { ...body, metadata: omit(object.metadata, SERVER_OWNED_METADATA) };
}

function statusBody(object: KubeObject): Record<string, unknown> {
  const meta = object.metadata;
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    metadata:
      meta.namespace === undefined ? { name: meta.name } : { name: meta.name, namespace: meta.namespace },
    status: object['status'],
  };
}

function retryAfterMs(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

/** The KubeApi implementation. One instance (one kubeconfig) per process. */
export class KubeClient implements KubeApi {
  readonly #kc: KubeConfig;
  readonly #metrics: Metrics;
  readonly #http = new IsomorphicFetchHttpLibrary();
  readonly #server: string;
  readonly #host: string;
  #dispatcher: Dispatcher | undefined;

  constructor(kc: KubeConfig, metrics: Metrics) {
    const cluster = kc.getCurrentCluster();
    if (cluster === null) {
      throw new KubeApiError({
        status: 0,
        reason: 'NoCluster',
        message: 'kubeconfig has no current cluster',
      });
    }
    this.#kc = kc;
    this.#metrics = metrics;
    this.#server = cluster.server.replace(/\/+$/, '');
    this.#host = new URL(this.#server).host;
  }

  async get(type: ResourceType, ref: ObjectRef, signal?: AbortSignal): Promise<KubeObject | undefined> {
    try {
      const raw = await this.#request({ method: HttpMethod.GET, path: objectPath(type, ref), signal });
      return normalizeObject(raw, type);
    } catch (err) {
      if (err instanceof KubeApiError && err.status === 404) return undefined;
      throw err;
    }
  }

  async list(type: ResourceType, options: ListOptions = {}): Promise<ListPage> {
    const raw = await this.#request({
      method: HttpMethod.GET,
      path: collectionPath(type, options.namespace),
      query: {
        labelSelector: options.labelSelector,
        fieldSelector: options.fieldSelector,
        limit: options.limit === undefined ? undefined : String(options.limit),
        continue: options.continueToken,
      },
      signal: options.signal,
    });
    return toListPage(raw, type);
  }

  async watch(
    type: ResourceType,
    options: WatchOptions,
    onEvent: (event: WatchEvent) => void,
  ): Promise<WatchEnd> {
    return runWatch({
      watcher: new Watch(this.#kc),
      path: collectionPath(type, options.namespace),
      type,
      options,
      onEvent,
      count: (code) => {
        this.#count(code, 'GET');
      },
    });
  }

  async apply(type: ResourceType, object: KubeObject, options: WriteOptions): Promise<KubeObject> {
    const body = applyBody(object, false);
    return this.#patch({
      type,
      ref: refOf(object),
      body,
      contentType: PatchStrategy.ServerSideApply,
      options,
    });
  }

  async applyStatus(type: ResourceType, object: KubeObject, options: WriteOptions): Promise<KubeObject> {
    const body = statusBody(object);
    const contentType = PatchStrategy.ServerSideApply;
    return this.#patch({ type, ref: refOf(object), body, contentType, options, subresource: 'status' });
  }

  async create(type: ResourceType, object: KubeObject, options: WriteOptions): Promise<KubeObject> {
    const raw = await this.#request({
      method: HttpMethod.POST,
      path: collectionPath(type, object.metadata.namespace),
      query: { fieldManager: options.fieldManager },
      body: applyBody(object, true),
      contentType: 'application/json',
      signal: options.signal,
    });
    return normalizeObject(raw, type);
  }

  async createIfAbsent(type: ResourceType, object: KubeObject, options: WriteOptions): Promise<CreateResult> {
    try {
      return { object: await this.create(type, object, options), created: true };
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
    const existing = await this.get(type, refOf(object), options.signal);
    if (existing === undefined) {
      throw new KubeApiError({
        status: 409,
        reason: 'Conflict',
        message: 'object exists but could not be read',
      });
    }
    return { object: existing, created: false };
  }

  async replace(type: ResourceType, object: KubeObject, options: WriteOptions): Promise<KubeObject> {
    const metadata = omit(object.metadata, ['managedFields']);
    const raw = await this.#request({
      method: HttpMethod.PUT,
      path: objectPath(type, refOf(object)),
      query: { fieldManager: options.fieldManager },
      body: { ...object, metadata },
      contentType: 'application/json',
      signal: options.signal,
    });
    return normalizeObject(raw, type);
  }

  async mergePatch(
    type: ResourceType,
    ref: ObjectRef,
    patch: unknown,
    options: WriteOptions,
  ): Promise<KubeObject> {
    return this.#patch({ type, ref, body: patch, contentType: PatchStrategy.MergePatch, options });
  }

  async jsonPatch(
    type: ResourceType,
    ref: ObjectRef,
    ops: readonly JsonPatchOp[],
    options: WriteOptions,
  ): Promise<KubeObject> {
    return this.#patch({ type, ref, body: ops, contentType: PatchStrategy.JsonPatch, options });
  }

  async delete(type: ResourceType, ref: ObjectRef, signal?: AbortSignal): Promise<boolean> {
    try {
      await this.#request({ method: HttpMethod.DELETE, path: objectPath(type, ref), signal });
      return true;
    } catch (err) {
      if (err instanceof KubeApiError && err.status === 404) return false;
      throw err;
    }
  }

  async #patch(p: PatchSpec): Promise<KubeObject> {
    const force = p.contentType === PatchStrategy.ServerSideApply ? 'true' : undefined;
    const raw = await this.#request({
      method: HttpMethod.PATCH,
      path: objectPath(p.type, p.ref, p.subresource),
      query: { fieldManager: p.options.fieldManager, force },
      body: p.body,
      contentType: p.contentType,
      signal: p.options.signal,
    });
    return normalizeObject(raw, p.type);
  }

  #count(code: string, method: string, seconds?: number): void {
    this.#metrics.framework.restClientRequests.inc({ code, method, host: this.#host });
    if (seconds !== undefined) {
      this.#metrics.framework.restClientRequestDuration.observe({ verb: method, host: this.#host }, seconds);
    }
  }

  async #context(spec: RequestSpec): Promise<RequestContext> {
    const url = new URL(this.#server + spec.path);
    for (const [k, v] of Object.entries(spec.query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
    const ctx = new RequestContext(url.toString(), spec.method);
    await this.#kc.applySecurityAuthentication(ctx);
    const fresh = ctx.getDispatcher();
    if (fresh !== undefined) {
      // The library builds a new agent per request (kubernetes-client/javascript #2893): keep one.
      if (this.#dispatcher === undefined) this.#dispatcher = fresh;
      else {
        await fresh.close();
        ctx.setDispatcher(this.#dispatcher);
      }
    }
    ctx.setHeaderParam('Accept', 'application/json');
    if (spec.body !== undefined) {
      ctx.setHeaderParam('Content-Type', spec.contentType ?? 'application/json');
      ctx.setBody(JSON.stringify(spec.body));
    }
    const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
    ctx.setSignal(spec.signal === undefined ? timeout : AbortSignal.any([spec.signal, timeout]));
    return ctx;
  }

  async #request(spec: RequestSpec): Promise<unknown> {
    const ctx = await this.#context(spec);
    const started = performance.now();
    let response;
    try {
      response = await this.#http.send(ctx).toPromise();
    } catch (err) {
      this.#count('<error>', spec.method, (performance.now() - started) / 1000);
      throw transportError(err, spec);
    }
    const text = await response.body.text();
    this.#count(String(response.httpStatusCode), spec.method, (performance.now() - started) / 1000);
    if (response.httpStatusCode >= 200 && response.httpStatusCode < 300) {
      return text === '' ? {} : (JSON.parse(text) as unknown);
    }
    const status = parseStatusBody(text);
    throw new KubeApiError({
      status: response.httpStatusCode,
      reason: status.reason ?? `HTTP${response.httpStatusCode}`,
      message: status.message ?? `HTTP ${response.httpStatusCode}`,
      method: spec.method,
      path: spec.path,
      ...optionalRetryAfter(retryAfterMs(response.headers['retry-after'])),
    });
  }
}

function optionalRetryAfter(ms: number | undefined): { retryAfterMs?: number } {
  return ms === undefined ? {} : { retryAfterMs: ms };
}

function transportError(err: unknown, spec: RequestSpec): KubeApiError {
  const aborted = spec.signal?.aborted === true;
  const name = err instanceof Error ? err.name : 'Error';
  const reason = aborted ? 'Aborted' : name === 'TimeoutError' ? 'Timeout' : 'TransportError';
  const message = err instanceof Error ? err.message : String(err);
  return new KubeApiError({ status: 0, reason, message, method: spec.method, path: spec.path, cause: err });
}

function toListPage(raw: unknown, type: ResourceType): ListPage {
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
