// Benchmark helpers: start anylog-node processes from the built package, wait for REST, read RSS,
// send REST commands (a new connection each, through the lean client in http-client.ts). Benchmarks
// print JSON; they never assert (targets are compared in the report).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { oneShot } from './http-client.js';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const nodeBin = join(repoRoot, 'node_modules', '.bin', 'node');

/** `npm run build`, its output on stderr: a benchmark's stdout carries only its JSON report. */
export function buildPackage(): void {
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: repoRoot, stdio: ['ignore', 2, 2] });
}

export interface NodeProc {
  readonly proc: ChildProcess;
  readonly ip: string;
  readonly tcpPort: number;
  readonly restPort: number;
  readonly home: string;
  readonly startupMs: number;
  stop(): Promise<void>;
}

export interface StartNodeOptions {
  readonly ip: string;
  readonly tcpPort: number;
  readonly restPort: number;
  readonly script?: string;
  readonly env?: Record<string, string>;
  /** ANYLOG_PATH to reuse (a restart); default a new temporary directory. */
  readonly home?: string;
  /**
   * A bundled node module to run instead of the bin (a benchmark's variant build); it runs on the same
   * Node with the bin's malloc setting.
   */
  readonly entry?: string;
}

export async function startNode(options: StartNodeOptions): Promise<NodeProc> {
  const home = options.home ?? mkdtempSync(join(tmpdir(), 'anylog-bench-'));
  // The bin is executed through its shebang (its V8 and malloc settings apply), as the image runs it.
  const bin = join(repoRoot, 'bin', 'anylog-node.js');
  const args = options.script === undefined ? [] : [options.script];
  const env: Record<string, string> = {
    // Node 24 from node_modules first: the shebang's `env node` resolves through PATH.
    PATH: `${dirname(nodeBin)}:${process.env['PATH'] ?? '/usr/bin:/bin'}`,
    NODE_TYPE: 'master',
    NODE_NAME: `bench-${options.ip}`,
    DB_TYPE: 'sqlite',
    INTERNAL_IP: options.ip,
    TCP_BIND: 'true',
    REST_BIND: 'true',
    ANYLOG_SERVER_PORT: String(options.tcpPort),
    ANYLOG_REST_PORT: String(options.restPort),
    ANYLOG_PATH: home,
    LOG_LEVEL: 'warn',
    ...options.env,
  };
  const started = performance.now();
  const proc =
    options.entry === undefined
      ? spawn(bin, args, { env, stdio: ['ignore', 'ignore', 'inherit'] })
      : spawn(nodeBin, [options.entry, ...args], {
          env: { ...env, MALLOC_ARENA_MAX: '2' },
          stdio: ['ignore', 'ignore', 'inherit'],
        });
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (proc.exitCode !== null)
      throw new Error(`anylog-node exited with ${proc.exitCode} before REST was ready`);
    try {
      const res = await oneShot({
        host: options.ip,
        port: options.restPort,
        method: 'GET',
        headers: { 'User-Agent': 'AnyLog/1.23', command: 'get status' },
      });
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('anylog-node REST not ready after 30 s');
    await new Promise((r) => setTimeout(r, 2));
  }
  const startupMs = performance.now() - started;
  return {
    proc,
    ip: options.ip,
    tcpPort: options.tcpPort,
    restPort: options.restPort,
    home,
    startupMs,
    stop: () =>
      new Promise<void>((res) => {
        if (proc.exitCode !== null) {
          res();
          return;
        }
        proc.once('exit', () => res());
        proc.kill('SIGTERM');
        setTimeout(() => proc.kill('SIGKILL'), 8000).unref();
      }),
  };
}

export function rssMb(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /VmRSS:\s+(\d+) kB/.exec(status);
  return m === null ? NaN : Math.round((Number(m[1]) / 1024) * 10) / 10;
}

/** CPU seconds (user + system) the process has used so far, from /proc/<pid>/stat (clock ticks of 1/100 s). */
export function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

export interface RestAnswer {
  readonly status: number;
  readonly body: string;
}

export async function rest(
  node: NodeProc,
  command: string,
  options: { method?: 'GET' | 'POST'; body?: string } = {},
): Promise<RestAnswer> {
  return oneShot({
    host: node.ip,
    port: node.restPort,
    method: options.method ?? 'GET',
    headers: { 'User-Agent': 'AnyLog/1.23', command },
    ...(options.body === undefined ? {} : { body: options.body }),
  });
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx] ?? NaN;
}

export function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
