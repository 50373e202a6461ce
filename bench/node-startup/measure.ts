// Focused anylog-node measurement: start-up to REST ready, idle RSS and REST
// `get status` throughput with wrk, on 127.0.0.51–59 so it never collides with bench:node (.41–.43).
// Usage: npx tsx bench/node-startup/measure.ts [entry.js]  (default bin/anylog-node.js; builds nothing).
// Env: RUNS (start-ups, default 5), WRK_SECONDS (default 5, 0 = skip wrk), NODE_ARGS (extra node flags).
// Prints one JSON document; never asserts.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const nodeBin = join(root, 'node_modules', '.bin', 'node');
const entry = resolve(process.argv[2] ?? join(root, 'bin', 'anylog-node.js'));
const RUNS = Number(process.env['RUNS'] ?? '5');
const WRK_SECONDS = Number(process.env['WRK_SECONDS'] ?? '5');
const NODE_ARGS = (process.env['NODE_ARGS'] ?? '').split(' ').filter((a) => a !== '');
const IP = process.env['BENCH_IP'] ?? '127.0.0.51';
const TCP_PORT = 32248;
const REST_PORT = 32249;

interface Started {
  readonly proc: ChildProcess;
  readonly home: string;
  readonly ms: number;
  /** CPU time (user + system) the node used until REST answered. */
  readonly cpuMs: number;
}

function cpuMs(pid: number | undefined): number {
  const fields =
    readFileSync(`/proc/${pid ?? 0}/stat`, 'utf8')
      .split(') ')[1]
      ?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function start(): Promise<Started> {
  const home = mkdtempSync(join(tmpdir(), 'anylog-n2-'));
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    NODE_TYPE: 'master',
    NODE_NAME: `n2-${IP}`,
    DB_TYPE: 'sqlite',
    INTERNAL_IP: IP,
    TCP_BIND: 'true',
    REST_BIND: 'true',
    ANYLOG_SERVER_PORT: String(TCP_PORT),
    ANYLOG_REST_PORT: String(REST_PORT),
    ANYLOG_PATH: home,
    LOG_LEVEL: 'warn',
    IS_HIDDEN: 'false',
  };
  const t0 = performance.now();
  const proc = spawn(nodeBin, [...NODE_ARGS, entry], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`node exited with ${proc.exitCode}`);
    try {
      const res = await fetch(`http://${IP}:${REST_PORT}/`, {
        headers: { 'User-Agent': 'AnyLog/1.23', command: 'get status' },
      });
      await res.arrayBuffer();
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('REST not ready after 30 s');
    await new Promise((r) => setTimeout(r, 2));
  }
  const ms = Math.round((performance.now() - t0) * 10) / 10;
  return { proc, home, ms, cpuMs: cpuMs(proc.pid) };
}

function stop(s: Started): Promise<void> {
  return new Promise((res) => {
    if (s.proc.exitCode !== null) {
      res();
      return;
    }
    s.proc.once('exit', () => {
      rmSync(s.home, { recursive: true, force: true });
      res();
    });
    s.proc.kill('SIGTERM');
    setTimeout(() => s.proc.kill('SIGKILL'), 8000).unref();
  });
}

function rssMb(pid: number | undefined): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid ?? 0}/status`, 'utf8'));
  return m === null ? NaN : Math.round((Number(m[1]) / 1024) * 10) / 10;
}

function wrk(connections: number, keepAlive: boolean): Record<string, number | boolean> {
  const args = ['-t', String(Math.min(2, connections)), '-c', String(connections), '-d', `${WRK_SECONDS}s`];
  args.push('--latency', '-H', 'User-Agent: AnyLog/1.23', '-H', 'command: get status');
  args.push('-H', keepAlive ? 'Connection: keep-alive' : 'Connection: close', `http://${IP}:${REST_PORT}/`);
  const out = execFileSync('/usr/bin/wrk', args, { encoding: 'utf8' });
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(out);
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(out);
  const p50 = /\s50%\s+([\d.]+)(us|ms|s)/.exec(out);
  const p99 = /\s99%\s+([\d.]+)(us|ms|s)/.exec(out);
  const ms = (m: RegExpExecArray | null): number =>
    m === null ? NaN : Number(m[1]) * (m[2] === 'us' ? 0.001 : m[2] === 's' ? 1000 : 1);
  return {
    connections,
    keepAlive,
    rps: rps === null ? NaN : Math.round(Number(rps[1])),
    p50Ms: ms(p50),
    p99Ms: ms(p99),
    connectErrors: sock === null ? 0 : Number(sock[1]),
    readErrors: sock === null ? 0 : Number(sock[2]),
    non2xx: non2xx === null ? 0 : Number(non2xx[1]),
  };
}

const times: number[] = [];
const cpu: number[] = [];
let last: Started | undefined;
for (let i = 0; i < RUNS; i++) {
  const s = await start();
  times.push(s.ms);
  cpu.push(s.cpuMs);
  if (i < RUNS - 1) await stop(s);
  else last = s;
}
await new Promise((r) => setTimeout(r, 3000));
const report: Record<string, unknown> = {
  entry,
  nodeArgs: NODE_ARGS,
  loadBefore: loadavg().map((l) => Math.round(l * 100) / 100),
  startupMs: times,
  startupCpuMs: cpu,
  idleRssMb: rssMb(last?.proc.pid),
};
if (WRK_SECONDS > 0) {
  const results = [];
  for (const keepAlive of [false, true]) for (const c of [1, 4, 16]) results.push(wrk(c, keepAlive));
  report['getStatus'] = results;
  report['rssAfterWrkMb'] = rssMb(last?.proc.pid);
}
report['loadAfter'] = loadavg().map((l) => Math.round(l * 100) / 100);
if (last !== undefined) await stop(last);
process.stdout.write(`${JSON.stringify(report, null, 1)}\n`);
