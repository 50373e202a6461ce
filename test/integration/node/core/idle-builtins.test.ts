// Idle-memory guard (target: idle RSS under 60 MB): the built node (dist/bundle, as the
// image runs it) started as the built-in master and served a REST GET and a POST must not have loaded the
// Node built-ins that only cost memory: perf_hooks (the `performance` global), worker_threads and util's
// parseArgs/diff helpers (an ESM import of node:util evaluates them), node:http/http2/undici (fastify's
// path, loaded only for requests the socket front hands over), zlib (first gzipped transfer only) and tls
// (a REST server started with `ssl = true` only).
// A --import hook writes process.moduleLoadList to a file on SIGUSR2.
import t from 'tap';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../../helpers/ports.js';
import { repoRoot } from '../../../helpers/vectors.js';

const HOST = '127.0.0.24';
const BUNDLE = join(repoRoot, 'dist', 'bundle', 'anylog-node.js');
// The hook itself imports nothing: an ESM import of node:fs would load fs/promises and streams.
const HOOK = `process.on('SIGUSR2', () => {
  const list = process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13));
  // Written aside, then renamed: the test polls for the file and must never read it half-written.
  const fs = process.getBuiltinModule('node:fs');
  fs.writeFileSync(process.env.IDLE_BUILTINS_OUT + '.tmp', JSON.stringify(list));
  fs.renameSync(process.env.IDLE_BUILTINS_OUT + '.tmp', process.env.IDLE_BUILTINS_OUT);
});
`;
const UNWANTED = [
  'perf_hooks',
  'worker_threads',
  'internal/util/parse_args/parse_args',
  'internal/util/diff',
  'http',
  'https',
  'http2',
  'internal/deps/undici/undici',
  'zlib',
  'tls',
];

async function ask(port: number, request: string): Promise<string> {
  const { connect } = await import('node:net');
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const sock = connect({ host: HOST, port }, () => sock.write(request));
    sock.on('data', (c: Buffer) => chunks.push(c));
    sock.on('error', reject);
    sock.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
  });
}

t.test('the idle built-in master loads no memory-only built-ins', async (t) => {
  t.ok(existsSync(BUNDLE), `${BUNDLE} exists (npm run build; npm test builds it in set-up)`);
  const home = mkdtempSync(join(tmpdir(), 'anylog-idle-'));
  t.teardown(() => rmSync(home, { recursive: true, force: true }));
  const hook = join(home, 'hook.mjs');
  const out = join(home, 'builtins.json');
  writeFileSync(hook, HOOK);
  const tcpPort = await freePort(HOST);
  const restPort = await freePort(HOST);
  let log = '';
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '',
    NODE_TYPE: 'master',
    NODE_NAME: 'idle-master',
    DB_TYPE: 'sqlite',
    ANYLOG_PATH: home,
    INTERNAL_IP: HOST,
    ANYLOG_SERVER_PORT: String(tcpPort),
    ANYLOG_REST_PORT: String(restPort),
    TCP_BIND: 'true',
    REST_BIND: 'true',
    LOG_LEVEL: 'warn',
    IDLE_BUILTINS_OUT: out,
  };
  // `env -i`: tap adds NODE_OPTIONS (its process-info hook, with the inspector) to the environment of
  // every child it sees spawned; the node must start with exactly this environment.
  const child = spawn(
    'env',
    ['-i', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), process.execPath, '--import', hook, BUNDLE],
    { cwd: home, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout.on('data', (c: Buffer) => (log += c.toString()));
  child.stderr.on('data', (c: Buffer) => (log += c.toString()));
  const exited = new Promise((r) => child.once('exit', r));
  t.teardown(async () => {
    if (child.exitCode === null) child.kill('SIGKILL');
    await exited;
  });
  const get = `GET / HTTP/1.1\r\nHost: ${HOST}\r\nUser-Agent: AnyLog/1.23\r\ncommand: get status\r\n\r\n`;
  const deadline = Date.now() + 30_000;
  let status = '';
  while (Date.now() < deadline && child.exitCode === null) {
    status = await ask(restPort, get).catch(() => '');
    if (status.includes('running')) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  t.match(status, /\r\n\r\nidle-master@127\.0\.0\.24:\d+ running$/, `REST ready (${log.slice(0, 400)})`);
  const post = await ask(
    restPort,
    `POST / HTTP/1.1\r\nHost: ${HOST}\r\nUser-Agent: AnyLog/1.23\r\ncommand: print !v\r\nContent-Length: 5\r\n\r\nv = 1`,
  );
  t.match(post, /\r\n\r\n1$/, 'a POST with body lines answered');
  child.kill('SIGUSR2');
  const until = Date.now() + 5_000;
  while (!existsSync(out) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  const loaded = JSON.parse(readFileSync(out, 'utf8')) as string[];
  t.ok(loaded.includes('net') && loaded.includes('sqlite'), 'the list is real: net and sqlite are loaded');
  for (const name of UNWANTED) t.notOk(loaded.includes(name), `${name} not loaded`);
});
