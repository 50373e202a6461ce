// REST rules through inject and a real listening server: user agents, command
// sources (header, URL, JSON body, `command: body`), method table, OPTIONS/PUT/other methods, health and
// /mcp paths, POST body lines under the body lock, `assignment`, the 1 MiB limit (10 MB body over a real
// socket → 413/230, node keeps serving), threads + 100 waiting → 503/108, keep-alive only on request.
import t, { type Test } from 'tap';
import { request } from 'node:http';
import { buildApp } from '../../../../src/node/rest/app.js';
import { ConcurrencyLimiter } from '../../../../src/node/http/limiter.js';
import { createFakeNode, startFakeRest } from '../../../helpers/fake-node.js';

const AL = { 'user-agent': 'AnyLog/1.23' };

function setup(t: Test, limiter = new ConcurrencyLimiter(5, 100)) {
  const fake = createFakeNode({ name: 'master-node' });
  const app = buildApp({ node: fake.node, limiter, timeoutSeconds: () => 5 });
  t.teardown(() => app.close());
  return { fake, app };
}

t.test('user agents', async (t) => {
  const { app } = setup(t);
  const curl = await app.inject({ method: 'GET', url: '/', headers: { 'user-agent': 'curl/8.5.0' } });
  t.equal(curl.body, 'master-node@127.0.0.1:0 running', 'curl without command = get status');
  t.equal(curl.headers['content-type'], 'text');
  const browser = await app.inject({
    method: 'GET',
    url: '/',
    headers: { 'user-agent': 'Mozilla/5.0', command: 'get status' },
  });
  t.equal(browser.statusCode, 200);
  t.equal(browser.body, '', 'unknown agent GET = ping');
  t.equal(browser.headers['content-length'], '0');
  const override = await app.inject({
    method: 'GET',
    url: '/',
    headers: { 'user-agent': 'Mozilla/5.0', 'anylog-agent': 'AnyLog/1.23', command: 'get status' },
  });
  t.equal(override.body, 'master-node@127.0.0.1:0 running', 'AnyLog-Agent overrides User-Agent');
  const none = await app.inject({ method: 'POST', url: '/', headers: { command: 'get status' } });
  t.equal(none.statusCode, 400);
  t.match(JSON.parse(none.body), {
    err_code: 163,
    local_msg: "HTTP server received POST message from unknown 'User-Agent': 'lightMyRequest'",
  });
  const grafana = await app.inject({
    method: 'POST',
    url: '/',
    headers: { 'user-agent': 'Grafana/10', command: 'get status' },
  });
  t.equal(JSON.parse(grafana.body).err_code, 163);
});

t.test('command sources: URL form, JSON body, command: body', async (t) => {
  const { app, fake } = setup(t);
  const url = await app.inject({
    method: 'GET',
    url: '/?User-Agent=AnyLog/1.23?command=get%20status',
    headers: { 'user-agent': 'Mozilla/5.0' },
  });
  t.equal(url.body, 'master-node@127.0.0.1:0 running');
  const json = await app.inject({
    method: 'POST',
    url: '/',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ command: 'get status', 'AnyLog-Agent': 'AnyLog/1.23' }),
  });
  t.equal(json.statusCode, 200, 'method check not applied to the JSON form');
  t.equal(json.body, 'master-node@127.0.0.1:0 running');
  const body = await app.inject({
    method: 'POST',
    url: '/',
    headers: { ...AL, command: 'body' },
    payload: 'print hello world',
  });
  t.equal(body.body, 'hello world');
  const headerWins = await app.inject({
    method: 'GET',
    url: '/?command=print%20x',
    headers: { ...AL, command: 'get status' },
  });
  t.equal(headerWins.body, 'master-node@127.0.0.1:0 running');
  t.ok(fake.executed.every((e) => e.source === 'rest'));
});

t.test('methods, OPTIONS, PUT, health and /mcp', async (t) => {
  const { app } = setup(t);
  const opt = await app.inject({ method: 'OPTIONS', url: '/anything' });
  t.equal(opt.statusCode, 204);
  t.equal(opt.headers['access-control-allow-methods'], 'GET, POST, OPTIONS');
  t.equal(opt.headers['access-control-allow-headers'], '*');
  t.equal(opt.headers['connection'], 'close');
  const put = await app.inject({ method: 'PUT', url: '/', headers: AL, payload: 'x' });
  t.equal(put.statusCode, 501);
  t.equal(JSON.parse(put.body).err_code, 237);
  for (const method of ['DELETE', 'PATCH', 'HEAD'] as const) {
    const r = await app.inject({ method, url: '/', headers: AL });
    t.equal(r.statusCode, 405, method);
    t.equal(r.headers['allow'], 'GET, POST');
  }
  const post = await app.inject({ method: 'GET', url: '/', headers: { ...AL, command: 'set node name x' } });
  t.equal(post.statusCode, 405);
  t.equal(post.headers['allow'], 'POST');
  t.equal(JSON.parse(post.body).local_msg, "Command 'set node name x' must be sent with POST");
  const both = await app.inject({ method: 'POST', url: '/', headers: { ...AL, command: 'print hi' } });
  t.equal(both.body, 'hi');
  const getPrint = await app.inject({ method: 'GET', url: '/', headers: { ...AL, command: 'print hi' } });
  t.equal(getPrint.statusCode, 405, 'print is POST only in EdgeLake’s table');
  t.equal(getPrint.headers['allow'], 'POST');
  const postGet = await app.inject({
    method: 'POST',
    url: '/',
    headers: { ...AL, command: 'blockchain get operator bring.ip_port' },
  });
  t.equal(postGet.statusCode, 200, 'a two-word GET key sent with POST falls back to POST');
  const oneWord = await app.inject({ method: 'POST', url: '/', headers: { ...AL, command: 'foobar' } });
  t.equal(oneWord.statusCode, 405);
  t.equal(oneWord.headers['allow'], '', 'a one-word command outside the table: no method');
  t.match(JSON.parse(oneWord.body), {
    err_code: 156,
    local_msg: "Command 'foobar' is not accepted over REST",
  });

  const health = await app.inject({ method: 'GET', url: '/health' });
  t.equal(health.headers['content-type'], 'application/json');
  t.match(health.body, /^\{"status": "healthy", "service": "anylog-rest-server", "timestamp": \d+\.\d+\}$/);
  const status = await app.inject({
    method: 'GET',
    url: '/api/status',
    headers: { 'user-agent': 'kube-probe/1.31' },
  });
  t.equal(status.body, '{"status": "ok"}');
  const mcp = await app.inject({ method: 'GET', url: '/mcp/sse', headers: AL });
  t.equal(mcp.statusCode, 501);
  const json = await app.inject({
    method: 'GET',
    url: '/',
    headers: { ...AL, command: 'get status where format = json' },
  });
  t.equal(json.headers['content-type'], 'text/json');
});

t.test('POST body lines run first, under the body lock; failures name the line', async (t) => {
  const { app, fake } = setup(t);
  const ok = await app.inject({
    method: 'POST',
    url: '/',
    headers: { ...AL, command: 'print !a !b', assignment: 'out' },
    payload: 'a = 1\r\n# comment\n<b = {"x":\n 2}>',
  });
  t.equal(ok.statusCode, 200);
  t.equal(ok.body, '', 'assignment: empty body');
  t.equal(fake.node.dict.get('out'), '1 {"x": 2}', 'JSON over several lines in a < > block');
  const open = await app.inject({
    method: 'POST',
    url: '/',
    headers: { ...AL, command: 'print !o' },
    payload: 'o = 1\no = {"x":\n 2}',
  });
  t.equal(open.statusCode, 400);
  t.match(JSON.parse(open.body), {
    err_code: 11,
    err_text: 'Error missing brackets',
    local_msg: `Error with command #2 in the message body: 'o = {"x":'`,
  });
  t.equal(fake.node.dict.get('o'), '1', 'a body line ends at its newline: open JSON fails on that line');
  const bad = await app.inject({
    method: 'POST',
    url: '/',
    headers: { ...AL, command: 'print x' },
    payload: 'c = 3\nfoo bar\nd = 4',
  });
  t.equal(bad.statusCode, 400);
  t.equal(JSON.parse(bad.body).local_msg, "Error with command #2 in the message body: 'foo bar'");
  t.equal(fake.node.dict.get('d'), undefined, 'stops at the failing line');
  const octet = await app.inject({
    method: 'POST',
    url: '/',
    headers: { ...AL, command: 'print y', 'content-type': 'application/octet-stream' },
    payload: 'zz = 1',
  });
  t.equal(octet.body, 'y');
  t.notOk(fake.node.dict.has('zz'), 'octet-stream bodies are not command lines');
  const results = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      app.inject({ method: 'POST', url: '/', headers: { ...AL, command: 'print !v' }, payload: `v = ${i}` }),
    ),
  );
  results.forEach((r, i) => t.equal(r.body, String(i), `concurrent post ${i} sees its own variable`));
  const latin = await app.inject({
    method: 'POST',
    url: '/',
    headers: { ...AL, command: 'print !w' },
    payload: Buffer.from('w = caf\xe9', 'latin1'),
  });
  t.equal(latin.body, 'café', 'ISO-8859-1 fallback');
});

t.test('threads limit with 100 waiting, then 503 / 108', async (t) => {
  const { app } = setup(t, new ConcurrencyLimiter(1, 100));
  const slow = Array.from({ length: 105 }, () =>
    app.inject({ method: 'GET', url: '/', headers: { ...AL, command: 'get slow 20' } }),
  );
  const answers = await Promise.all(slow);
  const codes = answers.map((a) => a.statusCode);
  t.equal(codes.filter((c) => c === 200).length, 101, '1 running + 100 waiting');
  t.equal(codes.filter((c) => c === 503).length, 4);
  t.equal(JSON.parse(answers.find((a) => a.statusCode === 503)!.body).err_code, 108);
});

function rawRequest(
  port: number,
  opts: { method: string; headers: Record<string, string>; body?: Buffer; keepAlive?: boolean },
) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string } | { error: string }>(
    (resolve) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path: '/',
          method: opts.method,
          headers: opts.headers,
          ...(opts.keepAlive === true ? {} : { agent: false }),
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks).toString(),
            }),
          );
        },
      );
      req.on('error', (err) => resolve({ error: err.message }));
      req.end(opts.body);
    },
  );
}

t.test('real socket: 10 MB bodies answer 413/230 without wedging; keep-alive only on request', async (t) => {
  const fake = createFakeNode({ name: 'master-node' });
  const port = await startFakeRest(t, fake);
  t.equal(fake.node.rest.info()?.internalPort, port);
  const big = Buffer.alloc(10 * 1024 * 1024, 0x61);
  for (let i = 0; i < 3; i++) {
    const r = await rawRequest(port, {
      method: 'POST',
      headers: { ...AL, command: 'print x', 'content-length': String(big.length) },
      body: big,
    });
    if ('status' in r) {
      t.equal(r.status, 413);
      t.equal(JSON.parse(r.body).err_code, 230);
    } else {
      t.pass(`connection closed by the server (${r.error})`);
    }
  }
  const after = await rawRequest(port, { method: 'GET', headers: { ...AL, command: 'get status' } });
  t.ok('status' in after && after.status === 200, 'still serving');
  t.ok('status' in after && after.headers['connection'] === 'close');
  const ka = await rawRequest(port, {
    method: 'GET',
    headers: { ...AL, command: 'get status', connection: 'keep-alive' },
  });
  t.ok('status' in ka && ka.headers['connection'] === 'keep-alive');
});
