// Local cluster for developers: `up [--runtime=containerd|process]` starts the cluster (a real node by
// default) and PostgreSQL in the background and prints the environment; `env` prints it again; `down` stops everything by PID
// files. A second `up` while one runs says so and starts nothing. The pointer lives in the cache dir.
import { existsSync, mkdirSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { localClusterPointer } from './paths.js';
import { envOf, startControlPlane, stopRun, type Runtime } from './controlplane.js';
import { readState, type RunState } from './state.js';
import { processAlive, readPidFiles, recordAlive } from './procs.js';
import { runLayout } from './paths.js';

function current(): RunState | undefined {
  const p = localClusterPointer();
  if (!existsSync(p)) return undefined;
  const { runDir } = JSON.parse(readFileSync(p, 'utf8')) as { runDir: string };
  if (!existsSync(runLayout.state(runDir))) return undefined;
  return readState(runDir);
}

/** True when the run's apiserver (the same process, not a recycled PID) is still alive. */
function alive(s: RunState): boolean {
  const rec = readPidFiles(runLayout.pids(s.runDir)).find((r) => r.name === 'kube-apiserver');
  return rec !== undefined && recordAlive(rec);
}

function printEnv(s: RunState): void {
  for (const [k, v] of Object.entries(envOf(s))) process.stdout.write(`export ${k}=${v}\n`);
  process.stdout.write(
    `# kubectl: ${s.kubectl}\n# helm: ${s.helm}\n# logs: ${s.runDir}/logs and ${s.runDir}/pods/<pod>/logs\n`,
  );
}

function lock(): () => void {
  const p = `${localClusterPointer()}.lock`;
  mkdirSync(dirname(p), { recursive: true });
  try {
    closeSync(openSync(p, 'wx'));
  } catch {
    const pid = Number(readFileSync(p, 'utf8').trim());
    if (pid > 0 && processAlive(pid))
      throw new Error(`another cluster:up (pid ${pid}) is starting a cluster`);
  }
  writeFileSync(p, `${process.pid}\n`);
  return () => rmSync(p, { force: true });
}

async function up(runtime?: Runtime): Promise<number> {
  const unlock = lock();
  try {
    const s = current();
    if (s !== undefined && alive(s)) {
      process.stderr.write(
        `a local cluster is already running (run directory ${s.runDir}); not starting another. Use \`npm run cluster:down\` first.\n`,
      );
      printEnv(s);
      return 0;
    }
    if (s !== undefined) await stopRun(s.runDir, s.etcdDataDir);
    const cp = await startControlPlane({ postgres: true, ...(runtime === undefined ? {} : { runtime }) });
    writeFileSync(localClusterPointer(), `${JSON.stringify({ runDir: cp.state.runDir })}\n`);
    printEnv(cp.state);
    return 0;
  } finally {
    unlock();
  }
}

async function down(): Promise<number> {
  const p = localClusterPointer();
  if (!existsSync(p)) {
    process.stderr.write('no local cluster is recorded\n');
    return 0;
  }
  const { runDir } = JSON.parse(readFileSync(p, 'utf8')) as { runDir: string };
  const s = existsSync(runLayout.state(runDir)) ? readState(runDir) : undefined;
  await stopRun(runDir, s?.etcdDataDir);
  rmSync(p, { force: true });
  process.stderr.write(`stopped the local cluster and removed ${runDir}\n`);
  return 0;
}

function env(): number {
  const s = current();
  if (s === undefined || !alive(s)) {
    process.stderr.write('no local cluster is running: npm run cluster:up\n');
    return 1;
  }
  printEnv(s);
  return 0;
}

async function main(): Promise<number> {
  const flag = process.argv[3];
  switch (process.argv[2] ?? '') {
    case 'up':
      if (flag === '--runtime=process' || flag === '--runtime=containerd') {
        return up(flag === '--runtime=process' ? 'process' : 'containerd');
      }
      if (flag !== undefined) {
        process.stderr.write(`unknown flag ${flag}; usage: cli.ts up [--runtime=containerd|process]\n`);
        return 2;
      }
      return up();
    case 'down':
      return down();
    case 'env':
      return env();
    default:
      process.stderr.write('usage: cli.ts up [--runtime=containerd|process] | env | down\n');
      return 2;
  }
}

try {
  process.exitCode = await main();
} catch (err) {
  process.stderr.write(`cluster: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
