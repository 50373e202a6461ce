// Errors that reach the fastify app's error handler rather than the REST rules: a body
// over the limit (413 / 230, connection closed), a body shorter than its Content-Length (400 / 2 with
// fastify's reason), and an exception escaping the rules (500 / 3, or 400 / 2 for a client-error status).
import t, { type Test } from 'tap';
import { buildApp } from '../../../../src/node/rest/app.js';
import { ConcurrencyLimiter } from '../../../../src/node/http/limiter.js';
import type { NodeServices } from '../../../../src/node/ports/runtime.js';
import { createFakeNode } from '../../../helpers/fake-node.js';

const AL = { 'user-agent': 'AnyLog/1.23' };

function setup(t: Test, node?: NodeServices) {
  const fake = createFakeNode({ name: 'master-node' });
  const app = buildApp({
    node: node ?? fake.node,
    limiter: new ConcurrencyLimiter(5, 100),
    timeoutSeconds: () => 5,
    bodyLimit: 16,
    keepAlive: 'on-request',
  });
  t.teardown(() => app.close());
  return app;
}

t.test('a body over the limit answers 413 / 230 and closes the connection', async (t) => {
  const app = setup(t);
  const r = await app.inject({
    method: 'POST',
    url: '/',
    headers: { ...AL, command: 'print x', connection: 'keep-alive' },
    payload: 'a = 1\n'.repeat(10),
  });
  t.equal(r.statusCode, 413);
  t.equal(
    r.body,
    '{"method": "post", "node": "127.0.0.1", "err_code": 230, "err_text": "Error large command"}',
  );
  t.equal(r.headers['content-type'], 'application/json');
  t.equal(r.headers['connection'], 'close', 'even when the client asked to keep it');
  const within = await app.inject({
    method: 'POST',
    url: '/',
    headers: { ...AL, command: 'print !a' },
    payload: 'a = 1',
  });
  t.equal(within.body, '1', 'a body within the limit is served');
});

t.test('a body shorter than its Content-Length answers 400 / 2 with the reason', async (t) => {
  const app = setup(t);
  const r = await app.inject({
    method: 'POST',
    url: '/',
    headers: { ...AL, command: 'print x', 'content-length': '5' },
    payload: 'abc',
  });
  t.equal(r.statusCode, 400);
  t.equal(
    r.body,
    '{"method": "post", "node": "127.0.0.1", "err_code": 2, "err_text": "Error Command Structure", "local_msg": "Request body size did not match Content-Length"}',
  );
  t.equal(r.headers['connection'], 'close');
});

t.test('an exception escaping the rules: 500 / 3, or 400 / 2 for a client-error status', async (t) => {
  const fake = createFakeNode({ name: 'master-node' });
  let thrown: Error = new Error('clock broken');
  // The health answer reads the clock: a failing clock is an exception the rules do not catch.
  const node: NodeServices = {
    ...fake.node,
    clock: {
      ...fake.node.clock,
      now: () => {
        throw thrown;
      },
    },
  };
  const app = setup(t, node);
  const health = () => app.inject({ method: 'GET', url: '/health' });
  const plain = await health();
  t.equal(plain.statusCode, 500, 'no status: a server failure');
  t.equal(
    plain.body,
    '{"method": "get", "node": "127.0.0.1", "err_code": 3, "err_text": "Error Process Failure", "local_msg": "clock broken"}',
  );
  thrown = Object.assign(new Error('server side'), { statusCode: 500 });
  const server = await health();
  t.equal(server.statusCode, 500, 'status 500: a server failure');
  t.equal(JSON.parse(server.body).err_code, 3);
  thrown = Object.assign(new Error('client side'), { statusCode: 499 });
  const client = await health();
  t.equal(client.statusCode, 400, 'status below 500: a malformed request');
  t.match(JSON.parse(client.body), { err_code: 2, local_msg: 'client side' });
});
