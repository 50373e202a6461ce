// Runs a command (normally tap) with the test services up, then tears them down in `finally`
// (control-plane.md §10.2). Usage: tsx with-cluster.ts [--no-cluster] -- <command> [args...]
// Exports ANYLOG_TEST_PG_URL (and, with the control plane, KUBECONFIG and the tool paths) to the child.
import { spawn } from 'node:child_process';
import { startPostgres, type PostgresHandle } from './postgres.js';

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const sep = argv.indexOf('--');
  const flags = sep === -1 ? [] : argv.slice(0, sep);
  const command = sep === -1 ? argv : argv.slice(sep + 1);
  const [cmd, ...args] = command;
  if (cmd === undefined) {
    process.stderr.write('usage: with-cluster.ts [--no-cluster] -- <command> [args...]\n');
    return 2;
  }
  if (flags.some((f) => f !== '--no-cluster')) {
    process.stderr.write(`unknown flags: ${flags.join(' ')}\n`);
    return 2;
  }
  let pg: PostgresHandle | undefined;
  const cleanup = async (): Promise<void> => {
    const p = pg;
    pg = undefined;
    if (p !== undefined) await p.destroy();
  };
  const onSignal = (): void => {
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    pg = await startPostgres();
    const env = { ...process.env, ANYLOG_TEST_PG_URL: pg.url };
    return await new Promise<number>((resolve) => {
      const child = spawn(cmd, args, { stdio: 'inherit', env });
      child.once('exit', (code, signal) => resolve(code ?? (signal === null ? 1 : 128)));
    });
  } finally {
    await cleanup();
  }
}

process.exitCode = await main();
