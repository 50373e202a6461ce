// Load without errors (issue 2 acceptance): 64 concurrent REST clients (a new connection per request,
// some forwarding to peers with `destination`) and 16 TCP peers sending `run client` requests to one
// node, for ~8 s with bounded loops. Uses the real REST server and TCP stack on loopback addresses
// (composed around the test node services until the node's main.ts lands).
import t from 'tap';
import { request } from 'node:http';
import { startPeer, type Peer } from '../../../helpers/tcp-peers.js';
import { freePort } from '../../../helpers/ports.js';
import type { ExecContext } from '../../../../src/node/ports/command.js';

const LOAD_MS = 8000;
const MAX_ITERATIONS = 100_000;
const WAIT: ExecContext = { source: 'script', assigned: true, console: () => undefined };

function get(port: number, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.2', port, path: '/', method: 'GET', headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      },
    );
    req.setTimeout(15_000, () => req.destroy(new Error('request timeout')));
    req.on('error', reject);
    req.end();
  });
}

t.test('64 REST clients and 16 TCP peers for ~8 s without errors', { timeout: 90_000 }, async (t) => {
  const master = await startPeer(t, '127.0.0.2', { name: 'master-node' });
  const restPort = await freePort('127.0.0.2');
  await master.fake.node.rest.start({
    internalIp: '127.0.0.2',
    externalIp: '127.0.0.2',
    internalPort: restPort,
    externalPort: restPort,
    bind: true,
    threads: 6,
    timeoutSeconds: 10,
  });
  t.teardown(() => master.fake.node.rest.stop());
  const peers: Peer[] = [];
  for (let i = 0; i < 16; i++) peers.push(await startPeer(t, `127.0.0.${10 + i}`, { name: `peer-${i}` }));

  const deadline = Date.now() + LOAD_MS;
  const errors: string[] = [];
  let restOk = 0;
  let forwardedOk = 0;
  let tcpOk = 0;
  const expected = `master-node@${master.address} running`;

  const restClient = async (i: number): Promise<void> => {
    const forward = i % 8 === 0 ? peers[i % peers.length] : undefined;
    const headers: Record<string, string> = { 'User-Agent': 'AnyLog/1.23', command: 'get status' };
    if (forward !== undefined) headers['destination'] = forward.address;
    for (let n = 0; n < MAX_ITERATIONS && Date.now() < deadline; n++) {
      try {
        const r = await get(restPort, headers);
        const want =
          forward === undefined
            ? expected
            : `\r\n[From Node ${forward.address}] peer-${peers.indexOf(forward)}@${forward.address} running`;
        if (r.status !== 200 || r.body !== want)
          errors.push(`rest ${i}: ${r.status} ${r.body.slice(0, 120)}`);
        else if (forward === undefined) restOk++;
        else forwardedOk++;
      } catch (err) {
        errors.push(`rest ${i}: ${String(err)}`);
      }
    }
  };

  const tcpClient = async (peer: Peer): Promise<void> => {
    for (let n = 0; n < MAX_ITERATIONS && Date.now() < deadline; n++) {
      const r = await peer.fake.node.execute(`run client (${master.address}) get status`, WAIT);
      if (r.code !== 0 || r.text !== `\r\n[From Node ${master.address}] ${expected}`)
        errors.push(`tcp ${peer.address}: ${JSON.stringify(r)}`);
      else tcpOk++;
    }
  };

  await Promise.all([
    ...Array.from({ length: 64 }, (_, i) => restClient(i)),
    ...peers.map((p) => tcpClient(p)),
  ]);
  t.same(errors.slice(0, 5), [], `no errors (of ${errors.length})`);
  t.ok(restOk > 100, `${restOk} local REST answers`);
  t.ok(forwardedOk > 10, `${forwardedOk} forwarded REST answers`);
  t.ok(tcpOk > 100, `${tcpOk} TCP round trips`);
  t.comment(`rest ${restOk}, forwarded ${forwardedOk}, tcp ${tcpOk} in ${LOAD_MS} ms`);
});
