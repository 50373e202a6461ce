// The network side on the real node (interpreter, commands, stores): every case of
// vectors/rest-errors.json over a listening REST server, `run client` between two real nodes over TCP
// (text, JSON, refused, unauthorized), and a probe against the TCP port.
import t from 'tap';
import { request } from 'node:http';
import { connect } from 'node:net';
import { startRealNode, startServers, type RealNode } from '../../../helpers/real-node.js';
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
    content_length?: number;
    /** Connection attempts to the destination: one means a refusal is answered without a retry. */
    connect_attempts?: number;
  };
}

const vector = readVectorJson('rest-errors.json') as { cases: RestCase[] };

const OBSERVED_MASTER =
  '{"master": {"name": "master-node", "company": "New Company", "ip": "127.0.0.1", "local_ip": "127.0.0.1", "port": 32048, "rest_port": 32049, "id": "9fe16415251db91760fbc5787a6eed7c", "date": "2026-11-26T12:33:53.766922Z"}}';

function http(n: RealNode, method: string, headers: Record<string, string>, body?: string) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
    (resolve, reject) => {
      const req = request(
        { host: n.ip, port: n.restPort, path: '/', method, headers, agent: false },
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
      req.setTimeout(20_000, () => req.destroy(new Error('timeout')));
      req.on('error', reject);
      req.end(body);
    },
  );
}

/** Per-case state the vector's note describes. */
async function prepare(n: RealNode, name: string): Promise<void> {
  if (name === 'drop-unknown-policy-id' || name === 'post-body-last-line-without-newline') {
    await n.run('connect dbms blockchain where type = sqlite and memory = true');
    await n.run('create table ledger where dbms = blockchain');
  }
  if (name === 'duplicate-policy-insert') {
    n.node.dict.set('new_policy', OBSERVED_MASTER);
    await n.run('blockchain insert where policy = !new_policy and local = true');
  }
}

t.test('rest-errors.json against the real node', { timeout: 120_000 }, async (t) => {
  for (const c of vector.cases) {
    t.test(c.name, async (t) => {
      // 127.0.0.1 so that the error bodies' "node" (the client IP) matches the vectors
      const n = await startRealNode(t, '127.0.0.1');
      await startServers(t, n, true);
      await prepare(n, c.name);
      const closed = await freePort();
      const map = (s: string): string =>
        s.replaceAll('32048', String(n.tcpPort)).replaceAll('32999', String(closed));
      const headers = Object.fromEntries(Object.entries(c.request.headers).map(([k, v]) => [k, map(v)]));
      const repeats = c.request.note === 'second identical request' ? 2 : 1;
      const attempts = watchConnectAttempts(t);
      let res = await http(
        n,
        c.request.method,
        headers,
        c.request.body === undefined ? undefined : map(c.request.body),
      );
      if (repeats === 2) res = await http(n, c.request.method, headers);
      t.equal(res.status, c.anylog_node.status, 'status');
      if (c.anylog_node.body !== undefined) t.equal(res.body, map(c.anylog_node.body), 'body');
      if (c.anylog_node.content_length !== undefined)
        t.equal(res.headers['content-length'], String(c.anylog_node.content_length));
      for (const [k, v] of Object.entries(c.anylog_node.headers ?? {}))
        t.equal(res.headers[k.toLowerCase()], v, k);
      if (c.anylog_node.connect_attempts !== undefined)
        t.equal(attempts('127.0.0.1', closed), c.anylog_node.connect_attempts, 'connection attempts');
    });
  }
});

t.test('run client between two real nodes', { timeout: 60_000 }, async (t) => {
  const a = await startRealNode(t, '127.0.0.2', { NODE_NAME: 'node-a' });
  const b = await startRealNode(t, '127.0.0.3', { NODE_NAME: 'node-b' });
  await startServers(t, a);
  await startServers(t, b);
  const dest = `${b.ip}:${b.tcpPort}`;
  const text = await a.run(`x = run client (${dest}) get status`);
  t.equal(text.code, 0, text.detail ?? '');
  t.equal(a.node.dict.get('x'), `\r\n[From Node ${dest}] node-b@${dest} running`);
  await a.run(`y = run client (${dest}) get status where format = json`);
  t.match(
    a.node.dict.get('y') ?? '',
    new RegExp(`^\\{"${dest.replaceAll('.', '\\.')}" : \\{"assigned_name": "node-b@`),
  );
  const denied = await a.run(`z = run client (${dest}) exit node`);
  t.equal(denied.code, 0);
  t.equal(a.node.dict.get('z'), `\r\n[From Node ${dest}] Unauthorized command`);
  const closed = await freePort('127.0.0.4');
  const refused = await a.run(`w = run client (127.0.0.4:${closed}) get status`);
  t.same(
    { code: refused.code, detail: refused.detail },
    { code: 208, detail: `Failed to create a socket using: 127.0.0.4:${closed}` },
  );
  await a.run(`run client ${dest} get status`);
  const line = `[From Node ${dest}] node-b@${dest} running`;
  const end = Date.now() + 5000;
  while (!a.console.some((l) => l.includes(line)) && Date.now() < end)
    await new Promise((r) => setTimeout(r, 50));
  t.ok(
    a.console.some((l) => l.includes(line)),
    'fire-and-forget reply printed on the console',
  );
  await new Promise<void>((resolve) => {
    const s = connect({ host: b.ip, port: b.tcpPort }, () => s.end());
    s.on('close', () => resolve());
    s.on('error', () => resolve());
  });
  t.equal((await a.run(`v = run client (${dest}) get status`)).code, 0, 'probe left the server working');
});
