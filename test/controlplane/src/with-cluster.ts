// Runs a command (normally tap) with the test services up, then tears them down in `finally`.
// Usage: tsx with-cluster.ts [--no-cluster | --runtime=containerd|process] -- <command> [args...]
// Without --no-cluster: the whole cluster plus PostgreSQL (a real node unless --runtime=process),
// exporting KUBECONFIG, ANYLOG_TEST_KUBECTL, ANYLOG_TEST_HELM, ANYLOG_TEST_PG_URL, ANYLOG_TEST_RUN_DIR,
// ANYLOG_TEST_RUNTIME and, on a real node, ANYLOG_TEST_NODE_IP and ANYLOG_TEST_IMAGE to the child.
// With --no-cluster: PostgreSQL only (ANYLOG_TEST_PG_URL). The child's exit code is propagated.
import { spawn, type ChildProcess } from 'node:child_process';
import { startPostgres } from './postgres.js';
import { startControlPlane, type Runtime } from './controlplane.js';

interface Services {
  readonly env: Record<string, string>;
  stop(): Promise<void>;
}

async function startServices(cluster: boolean, runtime?: Runtime): Promise<Services> {
  if (cluster) return startControlPlane({ postgres: true, ...(runtime === undefined ? {} : { runtime }) });
  const pg = await startPostgres();
  return { env: { ANYLOG_TEST_PG_URL: pg.url }, stop: () => pg.destroy() };
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const sep = argv.indexOf('--');
  const flags = sep === -1 ? [] : argv.slice(0, sep);
  const command = sep === -1 ? argv : argv.slice(sep + 1);
  const [cmd, ...args] = command;
  if (cmd === undefined) {
    process.stderr.write(
      'usage: with-cluster.ts [--no-cluster | --runtime=containerd|process] -- <command> [args...]\n',
    );
    return 2;
  }
  const runtimes = { '--runtime=containerd': 'containerd', '--runtime=process': 'process' } as const;
  if (flags.some((f) => f !== '--no-cluster' && !(f in runtimes))) {
    process.stderr.write(`unknown flags: ${flags.join(' ')}\n`);
    return 2;
  }
  const runtimeFlag = flags.find((f): f is keyof typeof runtimes => f in runtimes);
  const runtime = runtimeFlag === undefined ? undefined : runtimes[runtimeFlag];
  let services: Services | undefined;
  let child: ChildProcess | undefined;
  let stopping: Promise<void> | undefined;
  const cleanup = async (): Promise<void> => {
    stopping ??= (async () => {
      const s = services;
      services = undefined;
      if (s !== undefined) await s.stop();
    })();
    await stopping;
  };
  const onSignal = (sig: NodeJS.Signals): void => {
    // The command runs in its own process group: signal all of it (tap and its test processes).
    const pid = child?.pid;
    if (pid !== undefined) {
      try {
        process.kill(-pid, sig);
      } catch {
        /* already gone */
      }
    }
    void cleanup().finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.once('SIGHUP', onSignal);
  try {
    services = await startServices(!flags.includes('--no-cluster'), runtime);
    const env = { ...process.env, ...services.env };
    return await new Promise<number>((resolve) => {
      child = spawn(cmd, args, { stdio: 'inherit', env, detached: true });
      child.once('error', (err) => {
        process.stderr.write(`with-cluster: cannot run ${cmd}: ${err.message}\n`);
        resolve(127);
      });
      child.once('exit', (code, signal) => resolve(code ?? (signal === null ? 1 : 128)));
    });
  } catch (err) {
    process.stderr.write(`with-cluster: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  } finally {
    await cleanup();
  }
}

process.exitCode = await main();
