// `blockchain delete policy` on real nodes over loopback with PostgreSQL: a node
// removes a policy from its file (local defaults to true), tells its master to drop the row, and the sync
// it triggers leaves both sides without it; `local = false` leaves the file to the sync; a local-only
// delete comes back from the master. Errors 2 (no location), 113 (not in the file), 3 (no synchronizer).
import t from 'tap';
import { startRealNode } from '../../../helpers/real-node.js';
import {
  fileIds,
  runOk,
  startPgMaster,
  syncFrom,
  tableIds,
  tcpAddress,
  until,
} from '../../../helpers/ledger-nodes.js';

function policy(name: string, port: number): string {
  return `{"operator": {"name": "${name}", "company": "c", "ip": "10.0.1.${port % 250}", "port": ${port}}}`;
}

t.test('delete on a node: file, master table, and the sync that follows', async (t) => {
  const { master: a, db } = await startPgMaster(t, '127.0.0.64', 'delete-master');
  const b = await startRealNode(t, '127.0.0.65', { NODE_NAME: 'delete-node', NODE_TYPE: 'operator' });
  await syncFrom(t, b, a);
  for (const [name, port] of [
    ['op1', 7101],
    ['op2', 7102],
    ['op3', 7103],
  ] as const) {
    await runOk(t, a, `blockchain push ${policy(name, port)}`);
  }
  const [id1 = '', id2 = '', id3 = ''] = await tableIds(db);
  t.ok(
    await until(async () => {
      await b.run('run blockchain sync');
      return fileIds(b).length === 3;
    }, 10_000),
    'B holds the three policies',
  );
  const aConn = tcpAddress(a);

  const noLocation = await b.run(`blockchain delete policy where id = ${id1}`);
  t.same(
    [noLocation.code, noLocation.detail],
    [2, "Missing ledger location information in 'blockchain delete' command"],
  );
  const unknown = await b.run('blockchain delete policy where id = 0123456789abcdef and local = true');
  t.same(
    [unknown.code, unknown.detail],
    [113, "Error in 'blockchain delete': policy id: '0123456789abcdef' not available"],
  );
  t.equal((await b.run(`blockchain delete policy id = ${id1} and local = true`)).code, 2, 'no where → 2');
  t.equal((await b.run(`blockchain delete policy where local = true`)).code, 2, 'no id → 2');
  t.same(fileIds(b), [id1, id2, id3], 'failed deletes change nothing');

  // master only: local defaults to true, so the file loses it at once; the master drops the row
  await runOk(t, b, `blockchain delete policy where id = ${id1} and master = ${aConn}`);
  t.notOk(fileIds(b).includes(id1), 'removed from the local file before the command returns');
  t.ok(
    await until(async () => !(await tableIds(db)).includes(id1), 10_000),
    "the master's table lost the row",
  );
  t.same(await tableIds(db), [id2, id3]);
  t.ok(
    await until(async () => {
      await b.run('run blockchain sync');
      return fileIds(b).join() === [id2, id3].join();
    }, 10_000),
    'after syncing, B has exactly the master’s policies',
  );

  // local = false: the file keeps the policy until the triggered sync brings the master's ledger
  await runOk(t, b, `blockchain delete policy where id = ${id2} and local = false and master = ${aConn}`);
  t.ok(
    await until(async () => !(await tableIds(db)).includes(id2), 10_000),
    "the master's table lost the row",
  );
  t.ok(
    await until(async () => {
      await b.run('run blockchain sync');
      return fileIds(b).join() === id3;
    }, 10_000),
    'the sync removed it from the file',
  );

  // local only: no master is told, so the next sync brings it back
  await runOk(t, b, `blockchain delete policy where id = ${id3} and local = true`);
  t.same(await tableIds(db), [id3], 'the master still has it');
  t.ok(
    await until(async () => {
      await b.run('run blockchain sync');
      return fileIds(b).join() === id3;
    }, 10_000),
    'and the sync reinstalls it on B',
  );

  await runOk(t, a, 'run blockchain sync');
  t.same(fileIds(a), [id3], "the master's own file follows its table");
});

t.test('delete without a running synchronizer: 3 after the local removal', async (t) => {
  const d = await startRealNode(t, '127.0.0.69', { NODE_NAME: 'no-sync-node', NODE_TYPE: 'operator' });
  await runOk(t, d, `blockchain insert where policy = ${policy('lonely', 7199)} and local = true`);
  const [id = ''] = fileIds(d);
  t.match(id, /^[0-9a-f]{32}$/);
  const r = await d.run(`blockchain delete policy where id = ${id} and local = true`);
  t.same(
    [r.code, r.detail],
    [3, 'Failed to trigger sync process after policy delete: synchronizer not active'],
  );
});
