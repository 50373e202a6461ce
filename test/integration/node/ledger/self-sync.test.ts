// A master on SQLite and on PostgreSQL: table creation, a local insert pushed to itself, self-sync turning
// it global, duplicate ids (70), blockchain get over the synced file, drops, and harmless hostile input.
import t, { type Test } from 'tap';
import { readFileSync } from 'node:fs';
import { createTestDatabase } from '../../../helpers/pg.js';
import { startTcp, startTestNode, type TestNode } from './fixtures/node-harness.js';

const POLICY = '{"master": {"name": "m1", "company": "New Company", "ip": "127.0.0.1", "port": 32048}}';

async function exercise(t: Test, n: TestNode): Promise<void> {
  t.equal(await n.ok('info table blockchain ledger exists'), 'false');
  await n.ok('create table ledger where dbms = blockchain');
  t.equal(await n.ok('info table blockchain ledger exists'), 'true');
  await n.ok('create table ledger where dbms = blockchain');
  await startTcp(n);
  const conn = `127.0.0.1:${n.tcpPort}`;
  await n.ok(
    `run blockchain sync where source = master and time = 1 hour and dest = file and connection = ${conn}`,
  );
  t.equal(
    (await n.run('run blockchain sync where source = master and time = 1 hour and dest = file')).code,
    136,
  );
  n.node.dict.set('p', POLICY);
  await n.ok('blockchain prepare policy !p');
  t.match(n.node.dict.get('p'), /"id": "[0-9a-f]{32}", "date": "/);
  await n.ok(`blockchain insert where policy = !p and local = true and master = ${conn}`);
  t.equal(await n.ok('blockchain get master bring [*][ledger]'), 'local');
  const dup = await n.run(`blockchain insert where policy = !p and local = true`);
  t.equal(dup.code, 70, 'duplicate id in the local file');
  // the in-process push is asynchronous: wait for the row, then sync
  for (let i = 0; i < 50; i++) {
    await n.ok('run blockchain sync');
    if ((await n.ok('blockchain get master bring [*][ledger]')) === 'global') break;
    await new Promise((r) => setTimeout(r, 50));
  }
  t.equal(
    await n.ok('blockchain get master bring [*][ledger]'),
    'global',
    'own policy turned global by self-sync',
  );
  t.equal(n.node.sync.status().loads >= 1, true);
  t.equal(n.node.ledgerFile.metadataVersion().length, 32);
  const fileText = readFileSync(n.node.ledgerFile.path, 'utf8');
  t.equal(fileText.split('\n').filter((l) => l !== '').length, 1);

  // hostile input is data
  const injected = await n.run(`blockchain get * where name = "x' OR '1'='1" bring [*][id]`);
  t.same([injected.code, injected.text], [0, '[]']);
  const assigned = await n.run('blockchain get * where name = nobody bring.first [*][id]', true);
  t.same([assigned.code, assigned.text], [0, '']);
  const bad = await n.run("blockchain push {'a': 1}");
  t.equal(bad.code, 6, 'not JSON → 6');
  t.equal((await n.run('blockchain push {"a": [1]}')).code, 87);
  t.equal((await n.run('blockchain push {"a": {"company": "x\'); DROP TABLE ledger; --"}}')).code, 0);
  t.equal(await n.ok('info table blockchain ledger exists'), 'true', 'table survives');
  t.equal((await n.run('blockchain insert where policy = {not json} and local = true')).code, 2);
  t.equal((await n.run('blockchain insert where policy = {"a": {}}')).code, 2, 'no location');
  t.equal((await n.run('blockchain insert where policy = [1] and local = true')).code, 2, 'not an object');
  t.equal(
    (await n.run('blockchain insert where policy = {"a": [1]} and local = true')).code,
    2,
    'inner not an object',
  );
  t.equal((await n.run('blockchain insert where policy = {} and local = true')).code, 87, 'no type');

  // drop by a blockchain get id list: a query with a where clause (without one its words are ids, as EdgeLake)
  const id = await n.ok('blockchain get master bring [*][id]');
  const literal = await n.run(
    'blockchain drop policy where id = blockchain get master bring [*][id] separator = ,',
  );
  t.equal(literal.code, 101, 'a nested get without where is no query');
  t.ok(n.node.ledgerFile.hasId(id), 'nothing dropped');
  await n.ok(
    'blockchain drop policy where id = blockchain get master where name = m1 bring [*][id] separator = ,',
  );
  t.notOk(n.node.ledgerFile.hasId(id), 'dropped from the local file too');
  const again = await n.run(`blockchain drop policy where id = ${id}`);
  t.equal(again.code, 101);
  await n.ok('blockchain drop table');
  t.equal(await n.ok('info table blockchain ledger exists'), 'false');
}

t.test('sqlite master', async (t) => {
  const n = await startTestNode(t);
  await n.ok('connect dbms blockchain where type = sqlite');
  t.equal((await n.run('connect dbms blockchain where type = psql and user = x')).code, 49);
  await exercise(t, n);
});

t.test('psql master', async (t) => {
  const db = await createTestDatabase('node');
  t.teardown(() => db.drop());
  const n = await startTestNode(t);
  await n.ok(
    `connect dbms blockchain where type = psql and ip = ${db.host} and port = ${db.port} and user = ${db.user} and password = ${db.password} and database = ${db.name}`,
  );
  await exercise(t, n);
});
