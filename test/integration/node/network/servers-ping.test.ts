// `set servers ping` and the system task that runs it between real nodes over
// loopback: a peer whose connection failed joins the failed-peer set; the Metadata Ping task (run now with
// `task run`) pings it; once it listens again it leaves the set, while a peer still down stays.
import t from 'tap';
import { startRealNode, startServers } from '../../../helpers/real-node.js';
import { freePort } from '../../../helpers/ports.js';
import { runOk, until } from '../../../helpers/ledger-nodes.js';

t.test('failed peers are pinged and leave the set when they answer', async (t) => {
  const a = await startRealNode(t, '127.0.0.61', { NODE_NAME: 'ping-a' });
  const b = await startRealNode(t, '127.0.0.62', { NODE_NAME: 'ping-b' });
  await startServers(t, a);
  const bAddr = `${b.ip}:${b.tcpPort}`;
  const downAddr = `127.0.0.63:${await freePort('127.0.0.63')}`;

  for (const dest of [bAddr, downAddr]) {
    const r = await a.run(`x = run client (${dest}) get status`);
    t.equal(r.code, 208, `${dest} refused → 208`);
  }
  t.same([...a.node.peers.failedPeers()].sort(), [bAddr, downAddr].sort(), 'both in the failed-peer set');

  await runOk(t, a, 'set servers ping');
  t.same([...a.node.peers.failedPeers()].sort(), [bAddr, downAddr].sort(), 'still down: still failed');

  await startServers(t, b);
  await runOk(t, a, 'task run where scheduler = 0 and name = Metadata Ping');
  t.ok(
    await until(() => !a.node.peers.failedPeers().includes(bAddr), 5_000),
    'the peer that listens again left the set',
  );
  t.same(a.node.peers.failedPeers(), [downAddr], 'the peer still down stays');
  t.match(
    (await a.run('get scheduler 0')).text,
    /\r\n 1\|Active\|Metadata Ping\| +[23]\|Success +\|/,
    'the run at boot and the task run were counted (3 if its minute came round first)',
  );
  t.equal((await a.run('set servers ping now')).code, 2, 'exactly three words');
});
