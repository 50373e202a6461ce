// Health and metrics HTTP endpoints on node:http: /livez fails when the
// event loop lags 5 s or more or a watch has been stalled for over 5 min; /readyz fails until every
// cache has synced and again once shutdown begins. Metrics are served by a separate listener.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { AppError } from '../../common/errors.js';

export interface CheckResult {
  readonly ok: boolean;
  readonly reason?: string;
}

export type Route = () => Promise<{ status: number; contentType: string; body: string }>;

export interface HttpEndpoint {
  readonly port: number;
  close(): Promise<void>;
}

/** ":8081" → all interfaces; "127.0.0.1:0" → loopback, any port; "0" → disabled. */
export function parseBindAddress(bind: string): { host: string; port: number } | undefined {
  if (bind === '0' || bind === '') return undefined;
  const colon = bind.lastIndexOf(':');
  const host = colon <= 0 ? '0.0.0.0' : bind.slice(0, colon);
  const port = Number(bind.slice(colon + 1));
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new AppError('ERR_CONFIG_INVALID', `invalid bind address ${JSON.stringify(bind)}`);
  }
  return { host, port };
}

/** Serves GET routes on `bind`; resolves once listening. */
export async function serveRoutes(
  bind: { host: string; port: number },
  routes: Readonly<Record<string, Route>>,
): Promise<HttpEndpoint> {
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const route = req.method === 'GET' ? routes[path] : undefined;
    if (route === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    route().then(
      (r) => {
        res.writeHead(r.status, { 'content-type': r.contentType }).end(r.body);
      },
      (err: unknown) => {
        res
          .writeHead(500, { 'content-type': 'text/plain' })
          .end(`${err instanceof Error ? err.message : 'error'}\n`);
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(bind.port, bind.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: boundPort(server),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      }),
  };
}

function boundPort(server: Server): number {
  const address = server.address();
  return typeof address === 'object' && address !== null ? address.port : 0;
}

/** A probe route from a synchronous check. */
export function checkRoute(check: () => CheckResult): Route {
  return () => {
    const r = check();
    return Promise.resolve({
      status: r.ok ? 200 : 500,
      contentType: 'text/plain',
      body: r.ok ? 'ok\n' : `${r.reason ?? 'failing'}\n`,
    });
  };
}

/** Measures event-loop lag with an interval timer (1 s by default, unref'd). */
export class LoopLagMonitor {
  #last = performance.now();
  #lagMs = 0;
  readonly #intervalMs: number;
  readonly #timer: NodeJS.Timeout;

  constructor(intervalMs = 1000) {
    this.#intervalMs = intervalMs;
    this.#timer = setInterval(() => {
      const now = performance.now();
      this.#lagMs = Math.max(0, now - this.#last - intervalMs);
      this.#last = now;
    }, intervalMs);
    this.#timer.unref();
  }

  /** Lag of the last tick, or the time since the last tick when the loop is stuck right now. */
  lagMs(): number {
    return Math.max(this.#lagMs, performance.now() - this.#last - this.#intervalMs);
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}

/** The /livez check: failing while the event loop lags `limitMs` or more, otherwise `other`. */
export function livenessCheck(
  lagMs: () => number,
  limitMs: number,
  other: () => CheckResult,
): () => CheckResult {
  return () => (lagMs() >= limitMs ? { ok: false, reason: 'event loop blocked' } : other());
}
