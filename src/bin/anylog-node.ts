// anylog-node executable: argv and signals → node/main runNode → exit code.
// The only node file allowed to exit the process.
import { readProcessEnv } from '../common/env.js';
import { runNode } from '../node/main.js';

const shutdown = new AbortController();
for (const sig of ['SIGTERM', 'SIGINT'] as const) {
  process.once(sig, () => {
    shutdown.abort();
  });
}

try {
  const code = await runNode({
    argv: process.argv.slice(2),
    env: readProcessEnv(),
    stdout: (text) => process.stdout.write(`${text}\n`),
    stderr: (text) => process.stderr.write(`${text}\n`),
    stdinIsTty: process.stdin.isTTY,
    cwd: process.cwd(),
    shutdown: shutdown.signal,
  });
  process.exitCode = code;
  setTimeout(() => process.exit(code), 200).unref();
} catch (error) {
  process.stderr.write(
    `anylog-node: fatal: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
}
