// Load without errors: 64 concurrent REST clients (a new connection per request,
// some forwarding to peers with `destination`) and 16 TCP peers sending `run client` requests to one
// node, for ~8 s with bounded loops. Real nodes (interpreter, commands, TCP and REST servers) on
// loopback addresses 127.0.0.2 (the target) and 127.0.0.10–25 (the peers).
import t from 'tap';
import {
  restRequest,
  startRealNode,
  startServers,
  type RealNode,
  type RestAnswer,
} from '../../../helpers/real-node.js';
import { STATUS } from '../../../../src/contract/status-codes.js';

const LOAD_MS = 8000;
const MAX_ITERATIONS = 100_000;

function get(port: number, headers: Record<string, string>): Promise<RestAnswer> {
  return restRequest('127.0.0.2', port, { method: 'GET', headers, timeoutMs: 15_000 });
}

t.test('64 REST clients and 16 TCP peers for ~8 s without errors', { timeout: 90_000 }, async (t) => {
  const master = await startRealNode(t, '127.0.0.2', { NODE_NAME: 'master-node' });
  await startServers(t, master, true);
  const restPort = master.restPort;
  const peers: RealNode[] = [];
  for (let i = 0; i < 16; i++) {
    const peer = await startRealNode(t, `127.0.0.${10 + i}`, { NODE_NAME: `peer-${i}` });
    await startServers(t, peer);
    peers.push(peer);
  }
  const addr = (n: RealNode): string => `${n.ip}:${n.tcpPort}`;
  const masterAddress = addr(master);

  const deadline = Date.now() + LOAD_MS;
  const errors: string[] = [];
  let restOk = 0;
  let forwardedOk = 0;
  let tcpOk = 0;
  const expected = `master-node@${masterAddress} running`;

  const restClient = async (i: number): Promise<void> => {
    const forward = i % 8 === 0 ? peers[i % peers.length] : undefined;
    const headers: Record<string, string> = { 'User-Agent': 'AnyLog/1.23', command: 'get status' };
    if (forward !== undefined) headers['destination'] = addr(forward);
    for (let n = 0; n < MAX_ITERATIONS && Date.now() < deadline; n++) {
      try {
        const r = await get(restPort, headers);
        const want =
          forward === undefined
            ? expected
            : `\r\n[From Node ${addr(forward)}] peer-${peers.indexOf(forward)}@${addr(forward)} running`;
        if (r.status !== 200 || r.body !== want)
          errors.push(`rest ${i}: ${r.status} ${r.body.slice(0, 120)}`);
        else if (forward === undefined) restOk++;
        else forwardedOk++;
      } catch (err) {
        errors.push(`rest ${i}: ${String(err)}`);
      }
    }
  };

  const tcpClient = async (peer: RealNode): Promise<void> => {
    for (let n = 0; n < MAX_ITERATIONS && Date.now() < deadline; n++) {
      const r = await peer.run(`run client (${masterAddress}) get status`, true);
      if (r.code !== STATUS.SUCCESS || r.text !== `\r\n[From Node ${masterAddress}] ${expected}`)
        errors.push(`tcp ${addr(peer)}: ${JSON.stringify(r)}`);
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
