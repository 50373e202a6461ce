// `run blockchain sync … dest = dbms` on real nodes over loopback: a node
// copies every installed ledger into its own `ledger` table (PostgreSQL, and SQLite with dest = dbms only),
// host = the master's IP, duplicates ignored on later installs; 109 without the database or the table.
import t from 'tap';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { startRealNode, startServers } from '../../../helpers/real-node.js';
import { createTestDatabase } from '../../../helpers/pg.js';
import {
  connectPgLedger,
  fileIds,
  runOk,
  startPgMaster,
  tableRows,
  tcpAddress,
  until,
  type TableRow,
} from '../../../helpers/ledger-nodes.js';

const MASTER_IP = '127.0.0.66';

function policy(name: string, port: number): string {
  return `{"operator": {"name": "${name}", "company": "Co ${name}", "ip": "10.0.2.${port % 250}", "port": ${port}}}`;
}

/** Push, then sync `n` until its file holds `count` policies. */
async function syncUntil(n: Awaited<ReturnType<typeof startRealNode>>, count: number): Promise<boolean> {
  return until(async () => {
    await n.run('run blockchain sync');
    return fileIds(n).length === count;
  }, 10_000);
}

function comparable(rows: readonly TableRow[]): [string, string, string][] {
  return rows.map((r) => [r.policy_type, r.policy_id, r.policy]);
}

t.test('dest = file and dest = dbms: the node’s PostgreSQL ledger table follows the master', async (t) => {
  const { master: a, db: masterDb } = await startPgMaster(t, MASTER_IP, 'dbms-master');
  const b = await startRealNode(t, '127.0.0.67', { NODE_NAME: 'dbms-node', NODE_TYPE: 'query' });
  await startServers(t, b);
  const start = `run blockchain sync where source = master and time = 1 hour and dest = file and dest = dbms and connection = ${tcpAddress(a)}`;

  const noDbms = await b.run(start);
  t.equal(noDbms.code, 109, 'no blockchain dbms → 109');
  const db = await createTestDatabase('dbms_node');
  t.teardown(() => db.drop());
  await runOk(
    t,
    b,
    `connect dbms blockchain where type = psql and ip = ${db.host} and port = ${db.port} and user = ${db.user} and password = ${db.password} and database = ${db.name}`,
  );
  t.equal((await b.run(start)).code, 109, 'no ledger table → 109');
  t.notOk(b.node.sync.status().running, 'the synchronizer did not start');
  await runOk(t, b, 'create table ledger where dbms = blockchain');

  await runOk(t, a, `blockchain push ${policy('op1', 7201)}`);
  await runOk(t, a, `blockchain push ${policy('op2', 7202)}`);
  await runOk(t, b, start);
  t.ok(await syncUntil(b, 2), 'B installed the master’s two policies');
  t.ok(await until(async () => (await tableRows(db)).length === 2, 5_000), 'and copied them into its table');
  const masterRows = await tableRows(masterDb);
  const rows = await tableRows(db);
  t.same(comparable(rows), comparable(masterRows), 'same types, ids and policy text as the master');
  t.same(
    rows.map((r) => r.host),
    [MASTER_IP, MASTER_IP],
    "host = the connection's IP",
  );

  await runOk(t, a, `blockchain push ${policy('op3', 7203)}`);
  t.ok(await syncUntil(b, 3), 'a later install');
  t.ok(await until(async () => (await tableRows(db)).length === 3, 5_000), 'adds the new policy');
  t.same(comparable(await tableRows(db)), comparable(await tableRows(masterDb)));
  t.equal(b.node.sync.status().syncErr, 0, 'existing rows are duplicates that are ignored, not errors');
  t.ok(b.node.sync.status().loads >= 2);
});

t.test('dest = dbms alone with SQLite', async (t) => {
  const { master: a } = await startPgMaster(t, MASTER_IP, 'dbms-master-2');
  const c = await startRealNode(t, '127.0.0.68', { NODE_NAME: 'dbms-sqlite-node', NODE_TYPE: 'query' });
  await startServers(t, c);
  await runOk(t, c, 'connect dbms blockchain where type = sqlite');
  await runOk(t, c, 'create table ledger where dbms = blockchain');
  await runOk(t, a, `blockchain push ${policy('s1', 7301)}`);
  await runOk(
    t,
    c,
    `run blockchain sync where source = master and time = 1 hour and dest = dbms and connection = ${tcpAddress(a)}`,
  );
  t.ok(await syncUntil(c, 1), 'installed');
  const file = join(c.node.dirs['dbms_dir'] ?? '', 'blockchain.dbms');
  const read = (): { policy_id: string; host: string; company_name: string }[] => {
    const sqlite = new DatabaseSync(file, { readOnly: true });
    try {
      return sqlite
        .prepare('SELECT policy_id, host, company_name FROM ledger ORDER BY sequence_id')
        .all() as { policy_id: string; host: string; company_name: string }[];
    } finally {
      sqlite.close();
    }
  };
  t.ok(await until(() => read().length === 1, 5_000), 'copied into the SQLite table');
  t.same(read(), [{ policy_id: fileIds(c)[0], host: MASTER_IP, company_name: 'Co s1' }]);
  await runOk(t, a, `blockchain push ${policy('s2', 7302)}`);
  t.ok(await syncUntil(c, 2));
  t.ok(await until(() => read().length === 2, 5_000), 'the second install adds one row');
  t.same(
    read().map((r) => r.policy_id),
    fileIds(c),
  );
});

t.test('a master with dest = dbms keeps its own table unchanged (duplicates ignored)', async (t) => {
  const m = await startRealNode(t, '127.0.0.66', { NODE_NAME: 'dbms-self' });
  const db = await connectPgLedger(t, m, 'dbms_self');
  await startServers(t, m);
  await runOk(t, m, `blockchain push ${policy('self1', 7401)}`);
  await runOk(
    t,
    m,
    `run blockchain sync where source = master and time = 1 hour and dest = file and dest = dbms and connection = ${tcpAddress(m)}`,
  );
  t.same(fileIds(m).length, 1, 'first in-process cycle installed the file');
  await runOk(t, m, `blockchain push ${policy('self2', 7402)}`);
  await runOk(t, m, 'run blockchain sync');
  t.equal(fileIds(m).length, 2);
  t.equal((await tableRows(db)).length, 2, 'no row added or lost');
  t.equal(m.node.sync.status().syncErr, 0);
});
