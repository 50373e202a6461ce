// Every case of vectors/rest-errors.json through the REST app (inject) of a fake node with a real TCP
// stack: status, headers and body byte for byte. Ports 32048/32999 of the vectors
// are mapped to a free port (a fake master answering get status) and a closed port.
import t, { type Test } from 'tap';
import { buildApp } from '../../../../src/node/rest/app.js';
import { ConcurrencyLimiter } from '../../../../src/node/http/limiter.js';
import { createFakeNode, type FakeNode } from '../../../helpers/fake-node.js';
import { freePort } from '../../../helpers/ports.js';
import { watchConnectAttempts } from '../../../helpers/connect-attempts.js';
import { readVectorJson } from '../../../helpers/vectors.js';

interface RestCase {
  name: string;
  request: { method: string; headers: Record<string, string>; body?: string; note?: string };
  anylog_node: {
    status: number;
    headers?: Record<string, string>;
    body?: string;
    content_type?: string;
    content_length?: number;
    /** Connection attempts to the destination: one means a refusal is answered without a retry. */
    connect_attempts?: number;
  };
}

const vector = readVectorJson('rest-errors.json') as { body_keys: string[]; cases: RestCase[] };

const MASTER_POLICY =
  '{"master": {"name": "master-node", "company": "New Company", "id": "9fe16415251db91760fbc5787a6eed7c", "date": "2026-11-26T12:33:53.766922Z"}}';

t.test('rest-errors.json', async (t) => {
  const masterPort = await freePort();
  const closedPort = await freePort();
  const map = (s: string): string =>
    s.replaceAll('32048', String(masterPort)).replaceAll('32999', String(closedPort));

  async function nodeFor(t: Test, c: RestCase): Promise<FakeNode> {
    // A connect timeout no test waits for: an answer that waited for it would never come.
    const fake = createFakeNode({
      name: 'master-node',
      dbmsConnected: c.name !== 'ledger-not-connected',
      tcp: { deliver: { connectTimeoutMs: 600_000 } },
    });
    const address = {
      internalIp: '127.0.0.1',
      externalIp: '127.0.0.1',
      internalPort: masterPort,
      externalPort: masterPort,
      bind: true,
      threads: 6,
    };
    await fake.node.tcp.start(address);
    t.teardown(() => fake.node.tcp.stop());
    fake.ledgerIds.add('9fe16415251db91760fbc5787a6eed7c');
    fake.node.dict.set('new_policy', MASTER_POLICY);
    return fake;
  }

  for (const c of vector.cases) {
    t.test(c.name, async (t) => {
      const fake = await nodeFor(t, c);
      const app = buildApp({
        node: fake.node,
        limiter: new ConcurrencyLimiter(5, 100),
        timeoutSeconds: () => 5,
      });
      t.teardown(() => app.close());
      const headers = Object.fromEntries(Object.entries(c.request.headers).map(([k, v]) => [k, map(v)]));
      const repeats = c.request.note === 'second identical request' ? 2 : 1;
      const responses = [];
      const attempts = watchConnectAttempts(t);
      for (let i = 0; i < repeats; i++) {
        const one = await app.inject({
          method: c.request.method as 'GET' | 'POST',
          url: '/',
          headers,
          ...(c.request.body === undefined ? {} : { payload: map(c.request.body) }),
        });
        responses.push(one);
      }
      const res = responses[responses.length - 1];
      if (res === undefined) {
        t.fail('no response');
        return;
      }
      const want = c.anylog_node;
      t.equal(res.statusCode, want.status, 'status');
      if (want.body !== undefined) t.equal(res.body, map(want.body), 'body');
      if (want.content_length !== undefined)
        t.equal(res.headers['content-length'], String(want.content_length));
      for (const [k, v] of Object.entries(want.headers ?? {})) t.equal(res.headers[k.toLowerCase()], v, k);
      if (want.status >= 400) {
        t.equal(res.headers['content-type'], 'application/json');
        const keys = Object.keys(JSON.parse(res.body));
        t.same(keys, vector.body_keys.slice(0, keys.length), 'key order');
      }
      if (want.content_type !== undefined) t.equal(res.headers['content-type'], want.content_type);
      if (want.connect_attempts !== undefined)
        t.equal(attempts('127.0.0.1', closedPort), want.connect_attempts, 'connection attempts');
      t.equal(res.headers['connection'], 'close');
      t.equal(res.headers['access-control-allow-origin'], '*');
    });
  }
});
