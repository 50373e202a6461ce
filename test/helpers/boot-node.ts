// Boots an assembled node in-process for tests (config + startNode with the real interpreter, commands,
// stores and adapters): creates the startup directories under the config's ANYLOG_PATH, captures the
// node's stdout lines, and shuts the node down and removes `home` in the test's teardown.
import { mkdirSync, rmSync } from 'node:fs';
import type { Test } from 'tap';
import { STARTUP_DIR_KEYS, type NodeConfig } from '../../src/node/config.js';
import { startNode, type RunningNode } from '../../src/node/assemble.js';
import type { Clock } from '../../src/common/clock.js';
import { silentLogger } from '../../src/common/logger.js';

export interface BootedNode {
  readonly running: RunningNode;
  /** Lines the node printed to stdout. */
  readonly stdout: string[];
}

export async function bootNode(
  t: Test,
  config: NodeConfig,
  home: string,
  options: { readonly clock?: Clock } = {},
): Promise<BootedNode> {
  for (const key of STARTUP_DIR_KEYS) mkdirSync(config.dirs[key] ?? '', { recursive: true });
  const stdout: string[] = [];
  const running = await startNode({
    config,
    logger: silentLogger(),
    version: '0.0.0-test',
    io: {
      argv: [],
      env: {},
      stdout: (s) => stdout.push(s),
      stderr: () => undefined,
      stdinIsTty: false,
      cwd: home,
      ...(options.clock === undefined ? {} : { clock: options.clock }),
    },
  });
  t.teardown(async () => {
    await running.shutdown();
    rmSync(home, { recursive: true, force: true });
  });
  return { running, stdout };
}
