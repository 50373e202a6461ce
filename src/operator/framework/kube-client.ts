// KubeApi adapter: the ONLY runtime importer of @kubernetes/client-node (rule D3), and it imports the
// library lazily. Kubeconfigs the native transport understands (token, token file, client certificate,
// in-cluster) go through http-transport.ts, which keeps the operator's RSS ~80 MB below the library's
// import cost; exec plugins, auth providers and proxies load the library's RequestContext/HTTP stack and
// low-level Watch on first use. Explicit content types and field managers; every
// error becomes a KubeApiError with the Status parsed; every request is counted in
// rest_client_requests_total{code,method,host}.
import type { KubeConfig, RequestContext } from '@kubernetes/client-node';
import {
  KubeApiError,
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
import { readProcessEnv, type Env } from '../../common/env.js';
import type { Logger } from '../../common/logger.js';
import {
  NativeTransport,
  type Transport,
  type TransportRequest,
  type TransportResponse,
} from './http-transport.js';
import { resolveConnection } from './kubeconfig.js';
import {
  applyBody,
  collectionPath,
  objectPath,
  omit,
  optionalRetryAfter,
  retryAfterMs,
  statusBody,
  toListPage,
  transportError,
  toTransportRequest,
  HttpMethod,
  type RequestSpec,
  PatchStrategy,
} from './kube-request.js';
import { normalizeObject, parseStatusBody } from './normalize.js';
import { runWatch, type Watcher } from './kube-watch.js';
import type { Metrics } from './metrics.js';

export { KubeApiError, isConflict, isGone, isNotFound, isTooManyRequests } from './kube.js';

const REQUEST_TIMEOUT_MS = 30_000;

type Dispatcher = NonNullable<ReturnType<RequestContext['getDispatcher']>>;

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
  /** Path of a kubeconfig file; when absent KUBECONFIG, ~/.kube/config, then in-cluster. */
  readonly kubeconfigPath?: string;
  /** The environment snapshot (KUBECONFIG, HOME, KUBERNETES_SERVICE_*); default the process's. */
  readonly env?: Env;
  /** 'library' forces client-node's HTTP stack even when the native transport would do (tests). */
  readonly transport?: 'auto' | 'library';
  /** Every write request (verb, path, code) is logged here at debug level: what a steady state writes. */
  readonly logger?: Logger;
}

/** Builds the adapter from the default kubeconfig. */
export function createKubeClient(options: KubeClientOptions): KubeClient {
  const path = options.kubeconfigPath;
  if (options.transport === 'library') {
    return new KubeClient(new LibraryTransport(path), options.metrics, options.logger);
  }
  const source = resolveConnection({
    env: options.env ?? readProcessEnv(),
    ...(path === undefined ? {} : { path }),
  });
  if (source.kind === 'native') {
    return new KubeClient(new NativeTransport(source.connection), options.metrics, options.logger);
  }
  options.logger?.info({ reason: source.reason }, 'kubeconfig needs @kubernetes/client-node; loading it');
  return new KubeClient(new LibraryTransport(source.path ?? path), options.metrics, options.logger);
}

/** The server URL of the kubeconfig the library loaded. */
function libraryServer(kc: KubeConfig): string {
  const cluster = kc.getCurrentCluster();
  if (cluster === null) {
    throw new KubeApiError({ status: 0, reason: 'NoCluster', message: 'kubeconfig has no current cluster' });
  }
  return cluster.server.replace(/\/+$/, '');
}

interface Library {
  readonly kc: KubeConfig;
  readonly http: { send(ctx: RequestContext): { toPromise(): Promise<LibraryResponse> } };
  readonly newContext: (url: string, method: HttpMethod) => RequestContext;
  readonly watcher: Watcher;
}

interface LibraryResponse {
  readonly httpStatusCode: number;
  readonly headers: Record<string, string>;
  readonly body: { text(): Promise<string> };
}

/** client-node's KubeConfig, HTTP library and Watch, imported on first use (auth the native transport
 * does not cover: exec plugins, auth providers, proxies). */
class LibraryTransport implements Transport {
  readonly #path: string | undefined;
  #lib: Promise<Library> | undefined;
  #server: string | undefined;
  #dispatcher: Dispatcher | undefined;
  readonly watcher: Watcher;

  constructor(path: string | undefined) {
    this.#path = path;
    this.watcher = {
      watch: async (p, query, onEvent, done) => (await this.#load()).watcher.watch(p, query, onEvent, done),
    };
  }

  get server(): string {
    if (this.#server === undefined) throw new TypeError('library transport not loaded yet');
    return this.#server;
  }

  #load(): Promise<Library> {
    this.#lib ??= (async () => {
      const lib = await import('@kubernetes/client-node');
      const kc = new lib.KubeConfig();
      if (this.#path === undefined) kc.loadFromDefault();
      else kc.loadFromFile(this.#path);
      this.#server = libraryServer(kc);
      return {
        kc,
        http: new lib.IsomorphicFetchHttpLibrary(),
        newContext: (url, method) => new lib.RequestContext(url, method),
        watcher: new lib.Watch(kc),
      };
    })();
    return this.#lib;
  }

  async send(r: TransportRequest): Promise<TransportResponse> {
    const lib = await this.#load();
    const ctx = lib.newContext(this.server + r.path, r.method as HttpMethod);
    await lib.kc.applySecurityAuthentication(ctx);
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
    if (r.body !== undefined) {
      ctx.setHeaderParam('Content-Type', r.contentType ?? 'application/json');
      ctx.setBody(r.body);
    }
    if (r.signal !== undefined) ctx.setSignal(r.signal);
    const response = await lib.http.send(ctx).toPromise();
    const text = await response.body.text();
    return { status: response.httpStatusCode, headers: response.headers, text };
  }

  async close(): Promise<void> {
    await this.#dispatcher?.close();
  }
}

/** The KubeApi implementation. One instance (one kubeconfig, one connection pool) per process. */
export class KubeClient implements KubeApi {
  readonly #transport: Transport;
  readonly #metrics: Metrics;
  readonly #log: Logger | undefined;
  #host: string | undefined;

  constructor(transport: Transport, metrics: Metrics, logger?: Logger) {
    this.#transport = transport;
    this.#metrics = metrics;
    this.#log = logger?.child({ component: 'kube-client' });
  }

  /** The API server's host:port, once known (the library transport learns it on first use). */
  get #hostLabel(): string {
    if (this.#host === undefined) {
      try {
        this.#host = new URL(this.#transport.server).host;
      } catch {
        return '';
      }
    }
    return this.#host;
  }

  /** Closes idle keep-alive connections (tests; the process exit does it otherwise). */
  async close(): Promise<void> {
    await this.#transport.close();
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
      watcher: this.#transport.watcher,
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
    const host = this.#hostLabel;
    this.#metrics.framework.restClientRequests.inc({ code, method, host });
    if (seconds !== undefined) {
      this.#metrics.framework.restClientRequestDuration.observe({ verb: method, host }, seconds);
    }
  }

  async #request(spec: RequestSpec): Promise<unknown> {
    const started = performance.now();
    let response: TransportResponse;
    try {
      response = await this.#transport.send(toTransportRequest(spec, REQUEST_TIMEOUT_MS));
    } catch (err) {
      this.#count('<error>', spec.method, (performance.now() - started) / 1000);
      throw transportError(err, spec);
    }
    const { status, text } = response;
    this.#count(String(status), spec.method, (performance.now() - started) / 1000);
    if (spec.method !== HttpMethod.GET && this.#log?.isLevelEnabled('debug') === true) {
      this.#log.debug({ method: spec.method, path: spec.path, code: status }, 'api write');
    }
    if (status >= 200 && status < 300) {
      return text === '' ? {} : (JSON.parse(text) as unknown);
    }
    const parsed = parseStatusBody(text);
    throw new KubeApiError({
      status,
      reason: parsed.reason ?? `HTTP${status}`,
      message: parsed.message ?? `HTTP ${status}`,
      method: spec.method,
      path: spec.path,
      ...optionalRetryAfter(retryAfterMs(response.headers['retry-after'])),
    });
  }
}
