// httpGet and tcpSocket probes against the pod's address, with httpHeaders,
// named ports and the probe's timeoutSeconds. exec and grpc probes pass, with a warning in the log.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import type { Json } from './api.js';
import type { RunnerLog } from './log.js';

function portOf(container: Json, port: number | string): number {
  if (typeof port === 'number') return port;
  if (/^\d+$/.test(port)) return Number(port);
  const p = ((container['ports'] ?? []) as Json[]).find((x) => x['name'] === port);
  return (p?.['containerPort'] as number | undefined) ?? 0;
}

export async function runProbe(
  probe: Json,
  container: Json,
  podIP: string,
  log: RunnerLog,
): Promise<boolean> {
  const timeoutMs = ((probe['timeoutSeconds'] as number | undefined) ?? 1) * 1000;
  const http = probe['httpGet'] as Json | undefined;
  if (http !== undefined) {
    const https = String(http['scheme'] ?? 'HTTP').toUpperCase() === 'HTTPS';
    const headers: Record<string, string> = { 'user-agent': 'kube-probe/local-pod-runner' };
    for (const h of (http['httpHeaders'] ?? []) as Json[])
      headers[String(h['name']).toLowerCase()] = String(h['value']);
    const host = (http['host'] as string | undefined) ?? podIP;
    return new Promise((resolve) => {
      const req = (https ? httpsRequest : httpRequest)(
        {
          host,
          port: portOf(container, http['port'] as number | string),
          path: (http['path'] as string | undefined) ?? '/',
          method: 'GET',
          headers,
          timeout: timeoutMs,
          ...(https ? { rejectUnauthorized: false } : {}),
        },
        (res) => {
          res.resume();
          const s = res.statusCode ?? 0;
          resolve(s >= 200 && s < 400);
        },
      );
      req.on('timeout', () => req.destroy());
      req.on('error', () => resolve(false));
      req.end();
    });
  }
  const tcp = probe['tcpSocket'] as Json | undefined;
  if (tcp !== undefined) {
    return new Promise((resolve) => {
      const sock = connect({
        host: (tcp['host'] as string | undefined) ?? podIP,
        port: portOf(container, tcp['port'] as number | string),
      });
      const done = (ok: boolean): void => {
        sock.destroy();
        resolve(ok);
      };
      sock.setTimeout(timeoutMs, () => done(false));
      sock.once('connect', () => done(true));
      sock.once('error', () => done(false));
    });
  }
  log.warn('probe type not supported by the local pod runner; treated as passing', {
    container: container['name'],
  });
  return true;
}

export interface ProbeTiming {
  readonly initialDelayMs: number;
  readonly periodMs: number;
  readonly successThreshold: number;
  readonly failureThreshold: number;
}

export function timing(probe: Json): ProbeTiming {
  return {
    initialDelayMs: ((probe['initialDelaySeconds'] as number | undefined) ?? 0) * 1000,
    periodMs: ((probe['periodSeconds'] as number | undefined) ?? 10) * 1000,
    successThreshold: (probe['successThreshold'] as number | undefined) ?? 1,
    failureThreshold: (probe['failureThreshold'] as number | undefined) ?? 3,
  };
}
