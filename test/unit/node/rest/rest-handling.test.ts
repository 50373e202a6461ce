// REST rules through the fastify app (inject), beyond rest-rules.test.ts: the health
// and /mcp paths with a query, health only for a GET without a command, `keepAlive: 'never'`, the content
// type of a `[` answer, the OPTIONS answer without a body, which content types carry body lines, the
// JSON body under a header command, `command: body` text, a full queue and a command that throws.
import t, { type Test } from 'tap';
import { buildApp, type AppDeps } from '../../../../src/node/rest/app.js';
import { ConcurrencyLimiter } from '../../../../src/node/http/limiter.js';
import type { NodeServices } from '../../../../src/node/ports/runtime.js';
import { createFakeNode } from '../../../helpers/fake-node.js';

const AL = { 'user-agent': 'AnyLog/1.23' };
const RUNNING = 'master-node@127.0.0.1:0 running';

function setup(t: Test, deps: Partial<AppDeps> = {}) {
  const fake = createFakeNode({ name: 'master-node' });
  const app = buildApp({
    node: fake.node,
    limiter: new ConcurrencyLimiter(5, 100),
    timeoutSeconds: () => 5,
    ...deps,
  });
  t.teardown(() => app.close());
  return { fake, app };
}

t.test('health and /mcp paths are matched without the query', async (t) => {
  const { app } = setup(t);
  const health = await app.inject({ method: 'GET', url: '/health?probe=1' });
  t.equal(health.statusCode, 200);
  t.match(health.body, /^\{"status": "healthy", "service": "anylog-rest-server", "timestamp": \d+\.\d+\}$/);
  const status = await app.inject({ method: 'GET', url: '/api/status?x=1' });
  t.equal(status.body, '{"status": "ok"}');
  const mcp = await app.inject({ method: 'GET', url: '/mcp?session=1', headers: AL });
  t.equal(mcp.statusCode, 501);
  t.equal(JSON.parse(mcp.body).err_code, 237);
});

t.test('the health paths answer only a GET without a command', async (t) => {
  const { app } = setup(t);
  const withCommand = await app.inject({
    method: 'GET',
    url: '/health',
    headers: { ...AL, command: 'get status' },
  });
  t.equal(withCommand.body, RUNNING, 'a command on /health runs');
  const post = await app.inject({ method: 'POST', url: '/api/status', headers: AL });
  t.equal(post.statusCode, 400);
  t.match(JSON.parse(post.body), { err_code: 110, local_msg: "Missing 'command' attribute in header" });
});

t.test('keep-alive: never overrides the client; on request follows it', async (t) => {
  const never = setup(t, { keepAlive: 'never' }).app;
  const asked = { ...AL, command: 'get status', connection: 'keep-alive' };
  const closed = await never.inject({ method: 'GET', url: '/', headers: asked });
  t.equal(closed.body, RUNNING);
  t.equal(closed.headers['connection'], 'close');
  const onRequest = setup(t, { keepAlive: 'on-request' }).app;
  const kept = await onRequest.inject({ method: 'GET', url: '/', headers: asked });
  t.equal(kept.headers['connection'], 'keep-alive');
});

t.test('an answer starting with [ is text/json, others text', async (t) => {
  const { app } = setup(t);
  const list = await app.inject({ method: 'POST', url: '/', headers: { ...AL, command: 'print [1]' } });
  t.equal(list.statusCode, 200);
  t.match(list.body, /^\[/);
  t.equal(list.headers['content-type'], 'text/json');
  const plain = await app.inject({ method: 'POST', url: '/', headers: { ...AL, command: 'print a[1]' } });
  t.equal(plain.headers['content-type'], 'text');
});

t.test('OPTIONS answers 204 with neither body nor Content-Length', async (t) => {
  const { app } = setup(t);
  const opt = await app.inject({ method: 'OPTIONS', url: '/' });
  t.equal(opt.statusCode, 204);
  t.equal(opt.body, '');
  t.notOk('content-length' in opt.headers, 'no content-length');
});

t.test('body lines run for any content type but application/octet-stream', async (t) => {
  const { app, fake } = setup(t);
  const text = await app.inject({
    method: 'POST',
    url: '/',
    headers: { ...AL, command: 'print !a', 'content-type': 'text/plain' },
    payload: 'a = 1',
  });
  t.equal(text.body, '1', 'text/plain body lines run');
  const octet = await app.inject({
    method: 'POST',
    url: '/',
    headers: { ...AL, command: 'print y', 'content-type': 'Application/Octet-Stream; charset=binary' },
    payload: 'b = 2',
  });
  t.equal(octet.body, 'y');
  t.notOk(fake.node.dict.has('b'), 'an octet-stream body with parameters is data, not lines');
});

t.test('with a header command, a JSON body is body lines, not the JSON form', async (t) => {
  const { app, fake } = setup(t);
  const payload = JSON.stringify({ command: 'print b', assignment: 'z' });
  const r = await app.inject({
    method: 'POST',
    url: '/',
    headers: { ...AL, command: 'print a', 'content-type': 'application/json' },
    payload,
  });
  t.equal(r.statusCode, 400);
  t.match(JSON.parse(r.body), {
    err_code: 141,
    local_msg: `Error with command #1 in the message body: '${payload}'`,
  });
  t.notOk(fake.node.dict.has('z'), "the body's keys are not headers");
  t.notOk(
    fake.executed.some((e) => e.text === 'print b'),
    "the body's command does not run",
  );
});

t.test('command: body runs the trimmed body; without a body the empty command', async (t) => {
  const { app, fake } = setup(t);
  const r = await app.inject({
    method: 'POST',
    url: '/',
    headers: { ...AL, command: 'body' },
    payload: '  print hi \n',
  });
  t.equal(r.body, 'hi');
  t.equal(fake.executed.at(-1)?.text, 'print hi');
  const empty = await app.inject({ method: 'POST', url: '/', headers: { ...AL, command: 'body' } });
  t.equal(empty.statusCode, 400);
  t.equal(fake.executed.at(-1)?.text, '', 'the node is asked for the empty command');
  t.equal(JSON.parse(empty.body).err_code, 141);
});

t.test('a full queue answers 503 / 108 with its reason', async (t) => {
  const { app, fake } = setup(t, { limiter: new ConcurrencyLimiter(1, 0) });
  const slow = app.inject({ method: 'GET', url: '/', headers: { ...AL, command: 'get slow 1000' } });
  while (fake.slowPeak === 0) await new Promise((r) => setTimeout(r, 5));
  const full = await app.inject({ method: 'GET', url: '/', headers: { ...AL, command: 'get status' } });
  t.equal(full.statusCode, 503);
  t.match(JSON.parse(full.body), { err_code: 108, local_msg: 'REST request queue is full' });
  t.equal((await slow).body, 'slow done');
});

t.test('a command that throws answers 500 / 3 without its message', async (t) => {
  const fake = createFakeNode({ name: 'master-node' });
  const node: NodeServices = {
    ...fake.node,
    execute: () => Promise.reject(new Error('secret internals')),
  };
  const app = buildApp({ node, limiter: new ConcurrencyLimiter(5, 100), timeoutSeconds: () => 5 });
  t.teardown(() => app.close());
  const r = await app.inject({ method: 'GET', url: '/', headers: { ...AL, command: 'get status' } });
  t.equal(r.statusCode, 500);
  t.equal(
    r.body,
    '{"method": "get", "node": "127.0.0.1", "err_code": 3, "err_text": "Error Process Failure", "local_msg": "Internal error"}',
  );
  const next = await app.inject({ method: 'GET', url: '/', headers: { ...AL, command: 'get status' } });
  t.equal(next.statusCode, 500, 'the limiter slot was given back: the next request is answered too');
});

t.test('a method outside the route list is answered by the REST rules, not by a router 404', async (t) => {
  const { app } = setup(t);
  const headers = { ...AL, command: 'get status' };
  const trace = await app.inject({ method: 'TRACE', url: '/', headers });
  const del = await app.inject({ method: 'DELETE', url: '/', headers });
  t.equal(trace.statusCode, 405);
  t.same(
    JSON.parse(trace.body),
    { ...JSON.parse(del.body), method: 'trace' },
    'as for DELETE: 156, wrong method',
  );
  t.equal(JSON.parse(trace.body).err_code, 156);
});
