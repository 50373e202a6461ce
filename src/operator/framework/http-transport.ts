// The native HTTP transport of kube-client.ts: requests and watch streams to one API server over
// node:https (or node:http) with ONE keep-alive agent for the process, the bearer token re-read from
// its file every minute (bound ServiceAccount tokens rotate), and the client certificate and CA
// from kubeconfig.ts. Watches follow client-node's Watch contract (kube-watch.ts `Watcher`).
import { readFileSync } from 'node:fs';
import { Agent as HttpAgent, STATUS_CODES, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { createInterface } from 'node:readline';
import type { Connection } from './kubeconfig.js';
import type { Watcher } from './kube-watch.js';

export interface TransportRequest {
  readonly method: string;
  /** Path and query, e.g. `/api/v1/namespaces/x/configmaps?limit=500`. */
  readonly path: string;
  readonly body?: string;
  readonly contentType?: string;
  readonly signal?: AbortSignal;
}

export interface TransportResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly text: string;
}

/** What kube-client.ts needs from a transport (native here, or the library's). */
export interface Transport {
  readonly server: string;
  send(request: TransportRequest): Promise<TransportResponse>;
  readonly watcher: Watcher;
  close(): Promise<void>;
}

const TOKEN_REREAD_MS = 60_000;
/** A watch stream without a byte for this long ends as a TimeoutError (a normal reconnect). The API
 * server sends a bookmark about every minute, so an idle but healthy watch stays open. */
export const WATCH_INACTIVITY_MS = 150_000;
const CONNECT_TIMEOUT_MS = 30_000;

function timeoutError(): DOMException {
  return new DOMException('The operation was aborted due to timeout', 'TimeoutError');
}

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new DOMException('This operation was aborted', 'AbortError');
}

export class NativeTransport implements Transport {
  readonly server: string;
  readonly watcher: Watcher;
  readonly #c: Connection;
  readonly #url: URL;
  readonly #agent: HttpAgent;
  #token: { value: string; readAt: number } | undefined;

  constructor(connection: Connection) {
    this.#c = connection;
    this.server = connection.server;
    this.#url = new URL(connection.server);
    const tls = this.#url.protocol === 'https:';
    const options = { keepAlive: true, maxSockets: 64, maxFreeSockets: 8, scheduling: 'lifo' as const };
    this.#agent = tls
      ? new HttpsAgent({
          ...options,
          rejectUnauthorized: !connection.insecureSkipTlsVerify,
          ...(connection.ca === undefined ? {} : { ca: connection.ca }),
          ...(connection.cert === undefined ? {} : { cert: connection.cert }),
          ...(connection.key === undefined ? {} : { key: connection.key }),
          ...(connection.tlsServerName === undefined ? {} : { servername: connection.tlsServerName }),
        })
      : new HttpAgent(options);
    this.watcher = { watch: (path, query, onEvent, done) => this.#watch(path, query, onEvent, done) };
  }

  #bearer(): string | undefined {
    const b = this.#c.bearer;
    if (b.kind === 'none') return undefined;
    if (b.kind === 'token') return b.token;
    const now = Date.now();
    if (this.#token === undefined || now - this.#token.readAt >= TOKEN_REREAD_MS) {
      this.#token = { value: readFileSync(b.path, 'utf8').trim(), readAt: now };
    }
    return this.#token.value;
  }

  #open(method: string, path: string, headers: Record<string, string>, signal: AbortSignal) {
    const bearer = this.#bearer();
    const send = this.#url.protocol === 'https:' ? httpsRequest : httpRequest;
    const base = this.#url.pathname.replace(/\/+$/, '');
    return send({
      protocol: this.#url.protocol,
      hostname: this.#url.hostname.replace(/^\[|\]$/g, ''),
      port: this.#url.port === '' ? undefined : Number(this.#url.port),
      method,
      path: `${base}${path}`,
      agent: this.#agent,
      signal,
      headers: {
        Accept: 'application/json',
        'User-Agent': 'anylog-operator',
        ...headers,
        ...(bearer === undefined ? {} : { Authorization: `Bearer ${bearer}` }),
      },
    });
  }

  send(r: TransportRequest): Promise<TransportResponse> {
    const signal = r.signal ?? new AbortController().signal;
    return new Promise<TransportResponse>((resolve, reject) => {
      if (signal.aborted) {
        reject(abortError(signal));
        return;
      }
      const headers: Record<string, string> = {};
      if (r.body !== undefined) {
        headers['Content-Type'] = r.contentType ?? 'application/json';
        headers['Content-Length'] = String(Buffer.byteLength(r.body));
      }
      const req = this.#open(r.method, r.path, headers, signal);
      req.on('error', (err) => {
        reject(signal.aborted ? abortError(signal) : err);
      });
      req.on('response', (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const out: Record<string, string | undefined> = {};
          for (const [k, v] of Object.entries(res.headers)) out[k] = Array.isArray(v) ? v.join(', ') : v;
          resolve({
            status: res.statusCode ?? 0,
            headers: out,
            text: Buffer.concat(chunks).toString('utf8'),
          });
        });
      });
      req.end(r.body);
    });
  }

  /** client-node's Watch contract: resolves with the stream's controller once the server answered
   * (after `done` when the request failed); `done` is called exactly once, null for a normal end. */
  #watch(
    path: string,
    query: Record<string, string | number | boolean | undefined>,
    onEvent: (phase: string, object: unknown) => void,
    done: (err: unknown) => void,
  ): Promise<AbortController> {
    const params = new URLSearchParams({ watch: 'true' });
    for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
    const controller = new AbortController();
    return new Promise<AbortController>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      let timedOut = false;
      let finished = false;
      const finish = (err: unknown): void => {
        if (finished) return;
        finished = true;
        if (timer !== undefined) clearTimeout(timer);
        controller.abort();
        done(timedOut ? timeoutError() : err);
        resolve(controller);
      };
      const arm = (ms: number): void => {
        if (timer !== undefined) clearTimeout(timer);
        timer = setTimeout(() => {
          timedOut = true;
          controller.abort(timeoutError());
        }, ms);
        timer.unref();
      };
      const onStreamError = (err: unknown): void => {
        finish(controller.signal.aborted && !timedOut ? null : err);
      };
      try {
        arm(CONNECT_TIMEOUT_MS);
        const req = this.#open('GET', `${path}?${params.toString()}`, {}, controller.signal);
        req.on('error', onStreamError);
        req.on('response', (res: IncomingMessage) => {
          if (res.statusCode !== 200) {
            res.on('error', () => undefined);
            res.resume();
            const code = res.statusCode ?? 500;
            const message = res.statusMessage ?? STATUS_CODES[code] ?? 'Error';
            finish(Object.assign(new Error(message), { statusCode: code }));
            return;
          }
          arm(WATCH_INACTIVITY_MS);
          res.on('data', () => {
            arm(WATCH_INACTIVITY_MS);
          });
          res.on('error', onStreamError);
          res.on('close', () => {
            finish(null);
          });
          const lines = createInterface({ input: res, crlfDelay: Infinity });
          // readline re-emits the input's errors (a reset connection: 'aborted') on the interface.
          lines.on('error', onStreamError);
          lines.on('line', (line) => {
            if (finished || line === '') return;
            let parsed: { type?: unknown; object?: unknown };
            try {
              parsed = JSON.parse(line) as typeof parsed;
            } catch {
              return;
            }
            if (typeof parsed.type !== 'string') return;
            try {
              onEvent(parsed.type, parsed.object);
            } catch (err) {
              finish(err);
            }
          });
          resolve(controller);
        });
        req.end();
      } catch (err) {
        finish(err);
      }
    });
  }

  close(): Promise<void> {
    this.#agent.destroy();
    return Promise.resolve();
  }
}
