// NativeTransport against a loopback HTTP server: requests carry the bearer token (from a file too),
// content type and body; one keep-alive connection is reused; watches deliver each JSON line, end
// with null when the server closes, report a non-200 as an error with statusCode before resolving,
// and end quietly when aborted.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { NativeTransport } from '../../../../src/operator/framework/http-transport.js';
import type { BearerSource } from '../../../../src/operator/framework/kubeconfig.js';

interface Seen {
  method: string;
  url: string;
  auth: string | undefined;
  contentType: string | undefined;
  body: string;
  socketPort: number;
}

async function serve(
  t: Test,
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        auth: req.headers.authorization,
        contentType: req.headers['content-type'],
        body: Buffer.concat(chunks).toString(),
        socketPort: req.socket.remotePort ?? 0,
      });
      handler(req, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.teardown(() => {
    server.closeAllConnections();
    server.close();
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

function transport(url: string, bearer: BearerSource = { kind: 'token', token: 'tok' }): NativeTransport {
  return new NativeTransport({ server: url, insecureSkipTlsVerify: false, bearer });
}

t.test('send: verb, path, body, content type, bearer token; one kept-alive connection', async (t) => {
  const { url, seen } = await serve(t, (req, res) => {
    res.writeHead(req.method === 'PATCH' ? 201 : 200, {
      'content-type': 'application/json',
      'retry-after': '3',
    });
    res.end('{"ok":true}');
  });
  const tr = transport(url);
  t.teardown(() => tr.close());
  const got = await tr.send({ method: 'GET', path: '/api/v1/namespaces?limit=2' });
  t.equal(got.status, 200);
  t.equal(got.text, '{"ok":true}');
  t.equal(got.headers['retry-after'], '3');
  const patched = await tr.send({
    method: 'PATCH',
    path: '/apis/x/v1/things/a',
    body: '{"a":1}',
    contentType: 'application/apply-patch+yaml',
  });
  t.equal(patched.status, 201);
  t.equal(seen[0]?.url, '/api/v1/namespaces?limit=2');
  t.equal(seen[0]?.auth, 'Bearer tok');
  t.equal(seen[1]?.method, 'PATCH');
  t.equal(seen[1]?.contentType, 'application/apply-patch+yaml');
  t.equal(seen[1]?.body, '{"a":1}');
  t.equal(seen[0]?.socketPort, seen[1]?.socketPort, 'same keep-alive socket');
});

t.test('send: the token comes from its file; an aborted request rejects with the reason', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'transport-'));
  writeFileSync(join(dir, 'token'), 'from-file\n');
  const { url, seen } = await serve(t, (req, res) => {
    if (req.url === '/slow') return;
    res.end('{}');
  });
  const tr = transport(url, { kind: 'file', path: join(dir, 'token') });
  t.teardown(() => tr.close());
  await tr.send({ method: 'GET', path: '/x' });
  t.equal(seen[0]?.auth, 'Bearer from-file');
  const err = await tr
    .send({ method: 'GET', path: '/slow', signal: AbortSignal.timeout(100) })
    .catch((e: unknown) => e);
  t.type(err, Error);
  t.equal((err as Error).name, 'TimeoutError');
});

t.test('watch: events line by line, then null when the server ends the stream', async (t) => {
  const { url, seen } = await serve(t, (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"type":"ADDED","object":{"metadata":{"name":"a"}}}\n{"type":"MODIF');
    setTimeout(() => {
      res.write('IED","object":{"metadata":{"name":"a"}}}\nnot json\n');
      res.end('{"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"9"}}}\n');
    }, 20);
  });
  const tr = transport(url);
  t.teardown(() => tr.close());
  const phases: string[] = [];
  const ended = new Promise<unknown>((resolve) => {
    void tr.watcher.watch(
      '/api/v1/configmaps',
      { resourceVersion: '5', allowWatchBookmarks: true, x: undefined },
      (p) => phases.push(p),
      resolve,
    );
  });
  t.equal(await ended, null);
  t.same(phases, ['ADDED', 'MODIFIED', 'BOOKMARK'], 'split lines joined, bad lines skipped');
  t.equal(seen[0]?.url, '/api/v1/configmaps?watch=true&resourceVersion=5&allowWatchBookmarks=true');
});

t.test(
  'watch: a non-200 answer is an error with statusCode, reported before the promise resolves',
  async (t) => {
    const { url } = await serve(t, (_req, res) => {
      res.writeHead(410);
      res.end('{"kind":"Status","code":410}');
    });
    const tr = transport(url);
    t.teardown(() => tr.close());
    const order: string[] = [];
    let error: unknown;
    await tr.watcher
      .watch(
        '/p',
        {},
        () => undefined,
        (err) => {
          order.push('done');
          error = err;
        },
      )
      .then(() => order.push('resolved'));
    t.same(order, ['done', 'resolved']);
    t.equal((error as { statusCode?: number }).statusCode, 410);
  },
);

t.test('watch: aborting the returned controller ends it with null, exactly once', async (t) => {
  const { url } = await serve(t, (_req, res) => {
    res.writeHead(200);
    res.write('{"type":"ADDED","object":{}}\n');
  });
  const tr = transport(url);
  t.teardown(() => tr.close());
  const dones: unknown[] = [];
  let first: () => void = () => undefined;
  const gotEvent = new Promise<void>((r) => {
    first = r;
  });
  const ctl = await tr.watcher.watch(
    '/p',
    {},
    () => first(),
    (err) => dones.push(err),
  );
  await gotEvent;
  ctl.abort();
  await new Promise((r) => setTimeout(r, 50));
  t.same(dones, [null]);
});
