// files/helm-test.mjs, the program of the `helm test` pod, run with node against two local HTTP servers
// standing in for the operator's readiness endpoint and the API server: it passes only when readiness
// answers 200 and the API server lists AnyLogMasters for the ServiceAccount token, retries until its
// timeout, and fails naming each check that failed.
import t, { type Test } from 'tap';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chartDir } from '../../helpers/chart-render.js';

const script = join(chartDir, 'files', 'helm-test.mjs');
const TOKEN = 'test-token-123';
const API_PATH = '/apis/anylog.co/v1alpha1/namespaces/ns/anylogmasters';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

async function serve(t: Test, handler: Handler): Promise<string> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.teardown(() => new Promise<void>((r) => server.close(() => r())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const reply = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
};

/** A fake API server that answers the list with `status`/`body` when the bearer token is right. */
function apiServer(status = 200, body: unknown = { kind: 'AnyLogMasterList', items: [] }): Handler {
  return (req, res) => {
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return reply(res, 401, { kind: 'Status' });
    if (req.url !== `${API_PATH}?limit=1`) return reply(res, 404, { kind: 'Status', reason: 'NotFound' });
    reply(res, status, body);
  };
}

const ready =
  (status = 200): Handler =>
  (req, res) =>
    req.url === '/readyz'
      ? res.writeHead(status).end(status === 200 ? 'ok' : 'not ready')
      : res.writeHead(404).end();

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

async function runScript(env: Record<string, string>): Promise<Run> {
  const sa = mkdtempSync(join(tmpdir(), 'helm-test-sa-'));
  writeFileSync(join(sa, 'token'), `${TOKEN}\n`);
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [script],
      {
        env: {
          PATH: process.env['PATH'] ?? '',
          SERVICEACCOUNT_DIR: sa,
          TIMEOUT_SECONDS: '2',
          API_PATH,
          ...env,
        },
        timeout: 30_000,
      },
      (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
        resolve({ code, stdout, stderr, ms: Date.now() - started });
      },
    );
  });
}

t.test('passes when both checks pass', async (t) => {
  const r = await runScript({
    READY_URL: `${await serve(t, ready())}/readyz`,
    API_SERVER: await serve(t, apiServer()),
  });
  t.equal(r.code, 0, r.stderr);
  t.match(r.stdout, /PASS the operator is ready/);
  t.match(r.stdout, /PASS the API server serves AnyLogMasters/);
  t.equal(r.stderr, '');
});

t.test('fails when the operator is not ready, after retrying until the timeout', async (t) => {
  const r = await runScript({
    READY_URL: `${await serve(t, ready(503))}/readyz`,
    API_SERVER: await serve(t, apiServer()),
  });
  t.equal(r.code, 1);
  t.match(r.stderr, /FAIL the operator is ready .*HTTP 503 not ready/);
  t.match(r.stdout, /PASS the API server serves AnyLogMasters/);
  t.ok(r.ms >= 1000, `it retried (${r.ms} ms)`);
});

t.test('fails when nothing answers on the readiness address', async (t) => {
  // A port that was just free: the server that held it is closed again before the run.
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  const r = await runScript({
    READY_URL: `http://127.0.0.1:${port}/readyz`,
    API_SERVER: await serve(t, apiServer()),
  });
  t.equal(r.code, 1);
  t.match(r.stderr, /FAIL the operator is ready .*fetch failed \(connect ECONNREFUSED/);
});

t.test('fails when the API server does not serve AnyLogMasters', async (t) => {
  const readyUrl = `${await serve(t, ready())}/readyz`;
  for (const [what, handler, message] of [
    ['the CRD is missing (404)', apiServer(404, { kind: 'Status', reason: 'NotFound' }), /HTTP 404/],
    [
      'the ServiceAccount may not list (403)',
      apiServer(403, { kind: 'Status', reason: 'Forbidden' }),
      /HTTP 403/,
    ],
    [
      'the answer is not an AnyLogMasterList',
      apiServer(200, { kind: 'Status' }),
      /a Status, not an AnyLogMasterList/,
    ],
  ] as const) {
    const r = await runScript({ READY_URL: readyUrl, API_SERVER: await serve(t, handler) });
    t.equal(r.code, 1, what);
    t.match(r.stderr, new RegExp(`FAIL the API server serves AnyLogMasters: .*${message.source}`), what);
    t.match(r.stdout, /PASS the operator is ready/, `${what}: readiness still passes`);
  }
});

t.test('fails both checks at once and sends the token only to the API server', async (t) => {
  const seen: (string | undefined)[] = [];
  const readyUrl = `${await serve(t, (req, res) => {
    seen.push(req.headers.authorization);
    res.writeHead(500).end('boom');
  })}/readyz`;
  const r = await runScript({ READY_URL: readyUrl, API_SERVER: await serve(t, apiServer(404, {})) });
  t.equal(r.code, 1);
  t.match(r.stderr, /FAIL the operator is ready/);
  t.match(r.stderr, /FAIL the API server serves AnyLogMasters/);
  t.ok(seen.length > 0 && seen.every((a) => a === undefined), 'no Authorization header to the operator');
});

t.test('without its settings it fails instead of passing', async (t) => {
  const r = await runScript({ API_PATH: '', KUBERNETES_SERVICE_HOST: '' });
  t.equal(r.code, 1);
  t.match(r.stderr, /READY_URL is not set/);
  t.match(r.stderr, /API_PATH is not set/);
});
