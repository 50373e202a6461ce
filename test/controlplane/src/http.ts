// Small HTTP(S) GET helper for readiness checks of the control plane's processes: plain HTTP for
// etcd, HTTPS with the apiserver's CA and a bearer token for kube-apiserver. Bounded by a timeout.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface GetResult {
  readonly status: number;
  readonly body: string;
}

export interface GetOptions {
  readonly ca?: string;
  readonly token?: string;
  readonly timeoutMs?: number;
}

export async function get(url: string, o: GetOptions = {}): Promise<GetResult> {
  const u = new URL(url);
  const req = u.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    if (o.token !== undefined) headers['authorization'] = `Bearer ${o.token}`;
    const r = req(
      u,
      { method: 'GET', headers, ...(o.ca === undefined ? {} : { ca: o.ca }), timeout: o.timeoutMs ?? 3000 },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, body });
        });
        res.on('error', reject);
      },
    );
    r.on('timeout', () => r.destroy(new Error(`GET ${url} timed out`)));
    r.on('error', reject);
    r.end();
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Poll check() until it returns true; fail after timeoutMs, or at once when `aborted()` returns a
 * message (for example: the process being waited for has exited).
 */
export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
  aborted: () => string | undefined = () => undefined,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    const stop = aborted();
    if (stop !== undefined) throw new Error(`${what}: ${stop}`);
    try {
      if (await check()) return;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    if (Date.now() > deadline) throw new Error(`${what}: not ready after ${timeoutMs} ms ${last}`.trim());
    await sleep(200);
  }
}
