// A real node (config + startNode with the real interpreter, commands, stores, TCP and REST adapters)
// for network integration tests: temporary ANYLOG_PATH, startup directories, console captured; and one
// REST request to it on a connection of its own, as AnyLog clients send them.
import { mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Test } from 'tap';
import { loadConfig } from '../../src/node/config.js';
import type { CommandResult } from '../../src/node/ports/command.js';
import type { NodeServices } from '../../src/node/ports/runtime.js';
import { bootNode } from './boot-node.js';
import { freePort } from './ports.js';

export interface RealNode {
  readonly node: NodeServices;
  readonly ip: string;
  readonly tcpPort: number;
  readonly restPort: number;
  readonly console: string[];
  run(text: string, assigned?: boolean): Promise<CommandResult>;
}

export async function startRealNode(
  t: Test,
  ip: string,
  env: Record<string, string> = {},
): Promise<RealNode> {
  const home = mkdtempSync(join(tmpdir(), 'al-net-'));
  const tcpPort = await freePort(ip);
  const restPort = await freePort(ip);
  const config = loadConfig(
    {
      NODE_TYPE: 'master',
      NODE_NAME: 'master-node',
      INTERNAL_IP: ip,
      ANYLOG_SERVER_PORT: String(tcpPort),
      ANYLOG_REST_PORT: String(restPort),
      ANYLOG_PATH: home,
      ...env,
    },
    { hostname: 'net-test-host', cwd: home, interfaces: {} },
  );
  const { running, stdout: lines } = await bootNode(t, config, home);
  const node = running.node;
  return {
    node,
    ip,
    tcpPort,
    restPort,
    console: lines,
    run: (text, assigned = false) =>
      node.execute(text, { source: 'script', assigned, console: (s) => lines.push(s) }),
  };
}

/** Start the node's TCP (and optionally REST) server through the interpreter's commands. */
export async function startServers(t: Test, n: RealNode, rest = false): Promise<void> {
  const tcp = await n.run(
    `run tcp server where internal_ip = ${n.ip} and internal_port = ${n.tcpPort} and external_ip = ${n.ip} and external_port = ${n.tcpPort} and bind = true and threads = 6`,
  );
  t.equal(tcp.code, 0, `run tcp server: ${tcp.detail ?? ''}`);
  if (!rest) return;
  const r = await n.run(
    `run rest server where internal_ip = ${n.ip} and internal_port = ${n.restPort} and external_ip = ${n.ip} and external_port = ${n.restPort} and bind = true and threads = 6 and timeout = 5`,
  );
  t.equal(r.code, 0, `run rest server: ${r.detail ?? ''}`);
}

export interface RestAnswer {
  readonly status: number;
  readonly body: string;
}

export interface RestRequest {
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
  readonly timeoutMs?: number;
}

/** One request to `host:port` on a new connection (no agent), answered as status and body text. */
export function restRequest(host: string, port: number, r: RestRequest): Promise<RestAnswer> {
  return new Promise<RestAnswer>((resolve, reject) => {
    const req = request(
      { host, port, path: '/', method: r.method, headers: r.headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      },
    );
    req.setTimeout(r.timeoutMs ?? 10_000, () => req.destroy(new Error('request timeout')));
    req.on('error', reject);
    req.end(r.body);
  });
}
