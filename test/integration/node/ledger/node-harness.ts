// A real node for ledger integration tests: loadConfig + startNode with a temporary ANYLOG_PATH, the
// startup directories created, commands run through node.execute (the real interpreter and adapters).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Test } from 'tap';
import { loadConfig, STARTUP_DIR_KEYS } from '../../../../src/node/config.js';
import { startNode, type RunningNode } from '../../../../src/node/assemble.js';
import type { CommandResult, ExecContext } from '../../../../src/node/ports/command.js';
import type { NodeServices } from '../../../../src/node/ports/runtime.js';
import { silentLogger } from '../../../../src/shared/logger.js';
import { writeProcessEnv } from '../../../../src/shared/env.js';
import { freePort } from '../../../helpers/ports.js';

export interface TestNode {
  readonly node: NodeServices;
  readonly running: RunningNode;
  readonly home: string;
  readonly tcpPort: number;
  readonly restPort: number;
  readonly console: string[];
  run(text: string, assigned?: boolean): Promise<CommandResult>;
  /** Run and fail the test unless the status is 0. */
  ok(text: string): Promise<string>;
}

export interface TestNodeOptions {
  /** Write the node's environment into process.env (for scripts that read `$NAME`). */
  readonly processEnv?: boolean;
}

export async function startTestNode(
  t: Test,
  env: Record<string, string> = {},
  options: TestNodeOptions = {},
): Promise<TestNode> {
  const home = mkdtempSync(join(tmpdir(), 'al-node-'));
  const tcpPort = await freePort();
  const restPort = await freePort();
  const fullEnv: Record<string, string> = {
    NODE_TYPE: 'master',
    NODE_NAME: 'test-master',
    INTERNAL_IP: '127.0.0.1',
    ANYLOG_SERVER_PORT: String(tcpPort),
    ANYLOG_REST_PORT: String(restPort),
    ANYLOG_PATH: home,
    ...env,
  };
  const config = loadConfig(fullEnv, { hostname: 'test-host', cwd: home, interfaces: {} });
  for (const key of STARTUP_DIR_KEYS) mkdirSync(config.dirs[key] ?? '', { recursive: true });
  if (options.processEnv === true) {
    for (const [k, v] of Object.entries({ ...fullEnv, ...config.defaultedEnv })) writeProcessEnv(k, v);
  }
  const lines: string[] = [];
  const running = await startNode({
    config,
    logger: silentLogger(),
    version: '0.0.0-test',
    io: {
      argv: [],
      env: {},
      stdout: (s) => lines.push(s),
      stderr: () => undefined,
      stdinIsTty: false,
      cwd: home,
    },
  });
  const node = running.node;
  t.teardown(async () => {
    await running.shutdown();
    rmSync(home, { recursive: true, force: true });
  });
  const run = (text: string, assigned = false): Promise<CommandResult> => {
    const ctx: ExecContext = { source: 'script', assigned, console: (s) => lines.push(s) };
    return node.execute(text, ctx);
  };
  return {
    node,
    running,
    home,
    tcpPort,
    restPort,
    console: lines,
    run,
    ok: async (text) => {
      const r = await run(text);
      t.equal(r.code, 0, `${text} → ${r.code} ${r.detail ?? ''}`);
      return r.text ?? '';
    },
  };
}

export async function startTcp(n: TestNode): Promise<void> {
  const r = await n.run(
    `run tcp server where external_ip = 127.0.0.1 and external_port = ${n.tcpPort} and internal_ip = 127.0.0.1 and internal_port = ${n.tcpPort} and bind = true and threads = 4`,
  );
  if (r.code !== 0) throw new Error(`tcp server: ${r.code} ${r.detail ?? ''}`);
}
