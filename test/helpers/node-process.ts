// The real anylog-node executable (`bin/anylog-node.js`, the built-in master script) as a child process on
// loopback ports, for suites that need the whole program rather than an in-process node: the environment
// every such master gets and the spawn with its output captured. Callers add their ledger settings.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './vectors.js';

export interface MasterProcessEnv {
  readonly home: string;
  readonly host: string;
  readonly tcpPort: number;
  readonly restPort: number;
  readonly name: string;
}

/** A hidden master bound to `host`, warnings only in its log; `extra` adds or overrides variables. */
export function masterProcessEnv(
  o: MasterProcessEnv,
  extra: Readonly<Record<string, string>> = {},
): Record<string, string> {
  return {
    PATH: process.env['PATH'] ?? '',
    NODE_TYPE: 'master',
    NODE_NAME: o.name,
    IS_HIDDEN: 'true',
    ANYLOG_PATH: o.home,
    INTERNAL_IP: o.host,
    ANYLOG_SERVER_PORT: String(o.tcpPort),
    ANYLOG_REST_PORT: String(o.restPort),
    TCP_BIND: 'true',
    REST_BIND: 'true',
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

/** Spawns the node in `home` with exactly `env`; every stdout and stderr chunk goes to `onOutput`. */
export function spawnNodeProcess(
  home: string,
  env: Readonly<Record<string, string>>,
  onOutput: (text: string) => void,
): ChildProcess {
  const child = spawn(process.execPath, [join(repoRoot, 'bin', 'anylog-node.js')], {
    cwd: home,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (c: Buffer) => onOutput(c.toString()));
  child.stderr.on('data', (c: Buffer) => onOutput(c.toString()));
  return child;
}
