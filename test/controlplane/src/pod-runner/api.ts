// A small JSON REST client for the pod runner on top of @kubernetes/client-node's KubeConfig: raw JSON
// objects in and out (the same shape the watch stream delivers), server-side apply, bindings,
// TokenRequests and deletes with preconditions. Every request has a timeout.
import { request } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly method: string,
    readonly path: string,
    readonly body: string,
  ) {
    super(`${method} ${path}: HTTP ${status} ${body.slice(0, 300)}`);
    this.name = 'ApiError';
  }
}

// Raw API objects are untyped JSON on purpose: the runner reads a handful of fields from many kinds.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>;

export interface Api {
  call(method: string, path: string, body?: unknown, contentType?: string): Promise<Json>;
  get(path: string): Promise<Json>;
  /** GET that returns undefined on 404. */
  find(path: string): Promise<Json | undefined>;
}

export function createApi(kc: KubeConfig, timeoutMs = 15_000): Api {
  const server = kc.getCurrentCluster()?.server;
  if (server === undefined) throw new Error('kubeconfig has no current cluster');
  const call = async (method: string, path: string, body?: unknown, contentType?: string): Promise<Json> => {
    const url = new URL(server + path);
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    // An explicit content-length: Node sends DELETE bodies neither chunked nor sized by default, so the
    // apiserver would never see DeleteOptions (gracePeriodSeconds, preconditions).
    const opts: import('node:https').RequestOptions = {
      method,
      headers: {
        accept: 'application/json',
        ...(payload === undefined
          ? {}
          : {
              'content-type': contentType ?? 'application/json',
              'content-length': Buffer.byteLength(payload),
            }),
      },
      timeout: timeoutMs,
    };
    await kc.applyToHTTPSOptions(opts);
    return new Promise((resolve, reject) => {
      const req = request(url, opts, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('error', reject);
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (status < 200 || status >= 300) {
            reject(new ApiError(status, method, path, text));
            return;
          }
          try {
            resolve(text === '' ? {} : (JSON.parse(text) as Json));
          } catch (err) {
            reject(err instanceof Error ? err : new Error(String(err)));
          }
        });
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  };
  return {
    call,
    get: (path) => call('GET', path),
    find: async (path) => {
      try {
        return await call('GET', path);
      } catch (err) {
        if (err instanceof ApiError && err.status === 404) return undefined;
        throw err;
      }
    },
  };
}

export const isStatus = (err: unknown, status: number): boolean =>
  err instanceof ApiError && err.status === status;
