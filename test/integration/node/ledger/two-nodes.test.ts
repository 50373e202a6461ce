// Sync over real TCP between two nodes: node B syncs from master A (event get_blockchain → file write
// master_id_<n> → install), and B's `blockchain insert … master = A` lands in A's table and comes back
// global. Also `event get_blockchain` errors (59 on an empty table) reach the console of B.
import t from 'tap';
import { startTcp, startTestNode, type TestNode } from './fixtures/node-harness.js';

async function until(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}

async function get(n: TestNode, text: string): Promise<string> {
  return (await n.run(text)).text ?? '';
}

t.test('node B syncs from master A over TCP', async (t) => {
  const a = await startTestNode(t, { NODE_NAME: 'master-a' });
  const b = await startTestNode(t, { NODE_NAME: 'node-b', NODE_TYPE: 'query' });
  await a.ok('connect dbms blockchain where type = sqlite and memory = true');
  await a.ok('create table ledger where dbms = blockchain');
  await startTcp(a);
  await startTcp(b);
  const aConn = `127.0.0.1:${a.tcpPort}`;
  await a.ok(
    `run blockchain sync where source = master and time = 1 hour and dest = file and connection = ${aConn}`,
  );
  await a.ok(
    'blockchain push {"master": {"name": "master-a", "company": "c", "ip": "127.0.0.1", "port": 1}}',
  );

  await b.ok(
    `run blockchain sync where source = master and time = 1 hour and dest = file and connection = ${aConn}`,
  );
  t.ok(
    await until(async () => (await get(b, 'blockchain get master bring [*][name]')) === 'master-a', 10_000),
    'B received the ledger from A',
  );
  t.equal(await a.ok('blockchain get * bring.count'), '[]', "A's file waits for its next cycle");
  await a.ok('run blockchain sync');
  t.equal(await a.ok('blockchain get * bring.count'), '1', 'A synced from itself');

  await b.ok(
    `blockchain insert where policy = {"query": {"name": "node-b", "company": "c"}} and local = true and master = ${aConn}`,
  );
  t.equal(await get(b, 'blockchain get query bring [*][ledger]'), 'local');
  t.ok(
    await until(async () => ((await a.node.dbms.get('blockchain')?.dump()) ?? []).length === 2, 10_000),
    "B's policy landed in A's table",
  );
  await a.ok('run blockchain sync');
  t.ok(
    await until(async () => {
      await b.run('run blockchain sync');
      return (await get(b, 'blockchain get query bring [*][ledger]')) === 'global';
    }, 10_000),
    'B sees its policy as global after sync',
  );
  t.equal(b.node.ledgerFile.metadataVersion(), a.node.ledgerFile.metadataVersion(), 'same file on both');
  t.ok(b.node.sync.status().loads >= 2);
  t.equal(b.node.sync.status().syncErr, 0);
});

t.test('event get_blockchain answers 59 for an empty table and 68 without ledger', async (t) => {
  const a = await startTestNode(t, { NODE_NAME: 'master-empty' });
  await startTcp(a);
  const r = await a.run('event get_blockchain /tmp/x.new 0 0');
  t.equal(r.code, 2, 'not accepted from scripts');
  const peer = {
    ip: '127.0.0.1',
    port: 1,
    socketIp: '127.0.0.1',
    jobLocation: 0,
    jobId: 0,
    receiverId: 0,
    receivers: 1,
  };
  const ctx = { source: 'tcp' as const, assigned: false, console: () => undefined, peer };
  t.equal((await a.node.execute('event get_blockchain /tmp/x.new 0 0', ctx)).code, 68);
  t.equal((await a.node.execute('event get_blockchain /tmp/x.new', ctx)).code, 64);
  await a.ok('connect dbms blockchain where type = sqlite and memory = true');
  await a.ok('create table ledger where dbms = blockchain');
  t.equal((await a.node.execute('event get_blockchain /tmp/x.new 0 0', ctx)).code, 59);
});
