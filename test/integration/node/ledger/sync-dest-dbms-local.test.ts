// With dest = dbms inserts "every policy of the new file" into the local `ledger` table, and the
// new file includes the node's local policies merged in step 3 (now "ledger": "global"): a local policy
// reaches the node's table with the install that merges it, not only after a later install brings it back.
import t from 'tap';
import { startRealNode, startServers } from '../../../helpers/real-node.js';
import {
  connectPgLedger,
  fileIds,
  runOk,
  startPgMaster,
  tableRows,
  tcpAddress,
  until,
} from '../../../helpers/ledger-nodes.js';

t.test('dest = dbms copies the merged local policies of an install too', async (t) => {
  const { master: a } = await startPgMaster(t, '127.0.0.66', 'merge-master');
  const b = await startRealNode(t, '127.0.0.67', { NODE_NAME: 'merge-node', NODE_TYPE: 'query' });
  await startServers(t, b);
  const db = await connectPgLedger(t, b, 'merge_node');
  await runOk(
    t,
    a,
    'blockchain push {"operator": {"name": "m1", "company": "c", "ip": "10.0.3.1", "port": 7501}}',
  );
  await runOk(
    t,
    b,
    `run blockchain sync where source = master and time = 1 hour and dest = file and dest = dbms and connection = ${tcpAddress(a)}`,
  );
  t.ok(await until(() => fileIds(b).length === 1, 10_000), 'first install');
  await runOk(
    t,
    b,
    'blockchain insert where policy = {"query": {"name": "mine", "company": "c"}} and local = true',
  );
  const loads = b.node.sync.status().loads;
  await runOk(
    t,
    a,
    'blockchain push {"operator": {"name": "m2", "company": "c", "ip": "10.0.3.2", "port": 7502}}',
  );
  await runOk(t, b, 'run blockchain sync');
  t.ok(await until(() => b.node.sync.status().loads === loads + 1, 10_000), 'second install');
  const fileLines = b.node.ledgerFile.policies().map((p) => p.line);
  t.equal(fileLines.length, 3, 'the new file: m1, m2 and the merged local policy');
  t.same(
    (await tableRows(db)).map((r) => r.policy),
    fileLines,
    'the table holds every policy of the new file after that install',
  );
});
