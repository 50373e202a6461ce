// Runs wrk (Debian package, installed on demand) against a node's REST port and parses requests/s and
// latency percentiles. New connection per request = `Connection: close` (as AnyLog clients do).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface WrkResult {
  readonly connections: number;
  readonly keepAlive: boolean;
  readonly requestsPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
}

export function ensureWrk(): string {
  if (existsSync('/usr/bin/wrk')) return '/usr/bin/wrk';
  execFileSync(
    'bash',
    ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk'],
    {
      stdio: 'ignore',
    },
  );
  return '/usr/bin/wrk';
}

function toMs(value: string, unit: string): number {
  const n = Number(value);
  if (unit === 'us') return n / 1000;
  if (unit === 's') return n * 1000;
  if (unit === 'm') return n * 60_000;
  return n;
}

export function runWrk(
  url: string,
  options: { connections: number; keepAlive: boolean; seconds: number; headers: Record<string, string> },
): WrkResult {
  const wrk = ensureWrk();
  const args = [
    '-t',
    String(Math.min(2, options.connections)),
    '-c',
    String(options.connections),
    '-d',
    `${options.seconds}s`,
    '--latency',
  ];
  for (const [k, v] of Object.entries(options.headers)) args.push('-H', `${k}: ${v}`);
  args.push('-H', options.keepAlive ? 'Connection: keep-alive' : 'Connection: close');
  args.push(url);
  const out = execFileSync(wrk, args, { encoding: 'utf8' });
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(out);
  const p50 = /\s50%\s+([\d.]+)(us|ms|s|m)/.exec(out);
  const p99 = /\s99%\s+([\d.]+)(us|ms|s|m)/.exec(out);
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(out);
  const errors =
    (sock === null ? 0 : Number(sock[1]) + Number(sock[3]) + Number(sock[4])) +
    (non2xx === null ? 0 : Number(non2xx[1]));
  return {
    connections: options.connections,
    keepAlive: options.keepAlive,
    requestsPerSec: rps === null ? NaN : Math.round(Number(rps[1])),
    p50Ms: p50 === null ? NaN : toMs(p50[1] ?? '', p50[2] ?? 'ms'),
    p99Ms: p99 === null ? NaN : toMs(p99[1] ?? '', p99[2] ?? 'ms'),
    errors,
  };
}
