// Incremental self-sync (merge) on a master, SQLite and PostgreSQL: after every cycle the
// file equals the table's dump byte for byte and its md5 is the metadata version. While the table only
// grows, cycles rewrite the file's tail in place (same inode); a local-only policy is re-pushed and merged;
// a row dated before the last one and a dropped policy fall back to a full install (new file by rename).
import t, { type Test } from 'tap';
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { createTestDatabase } from '../../../helpers/pg.js';
import { startTcp, startTestNode, type TestNode } from './fixtures/node-harness.js';

const md5 = (s: string): string => createHash('md5').update(s).digest('hex');

function policy(name: string): string {
  return `{"operator": {"name": "${name}", "company": "Acme", "ip": "10.0.0.1", "port": 32148}}`;
}

async function dumpText(n: TestNode): Promise<string> {
  const rows = (await n.node.dbms.get('blockchain')?.dump()) ?? [];
  return rows.map((r) => `${r}\n`).join('');
}

async function waitRows(t: Test, n: TestNode, count: number): Promise<void> {
  let rows = 0;
  for (let i = 0; i < 200 && rows < count; i++) {
    rows = ((await n.node.dbms.get('blockchain')?.dump()) ?? []).length;
    if (rows < count) await new Promise((r) => setTimeout(r, 25));
  }
  t.equal(rows, count, `table holds ${count} rows`);
}

async function syncedEqualsDump(t: Test, n: TestNode, label: string): Promise<string> {
  await n.ok('run blockchain sync');
  const file = readFileSync(n.node.ledgerFile.path, 'utf8');
  const dump = await dumpText(n);
  t.equal(file, dump, `${label}: file = dump`);
  t.equal(n.node.ledgerFile.metadataVersion(), md5(dump), `${label}: metadata version = md5(dump)`);
  return file;
}

async function exercise(t: Test, n: TestNode): Promise<void> {
  await n.ok('create table ledger where dbms = blockchain');
  await startTcp(n);
  const conn = `127.0.0.1:${n.tcpPort}`;
  await n.ok(
    `run blockchain sync where source = master and time = 1 hour and dest = file and connection = ${conn}`,
  );
  let rows = 0;
  const insertRound = async (round: number): Promise<void> => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        n.ok(
          `blockchain insert where policy = ${policy(`r${round}-${i}`)} and local = true and master = ${conn}`,
        ),
      ),
    );
    rows += 20;
    await waitRows(t, n, rows);
  };

  await insertRound(0);
  await syncedEqualsDump(t, n, 'first install (full)');
  const inode = statSync(n.node.ledgerFile.path).ino;
  const loads = n.node.sync.status().loads;
  for (let round = 1; round <= 3; round++) {
    await insertRound(round);
    const file = await syncedEqualsDump(t, n, `round ${round}`);
    t.notOk(file.includes('"ledger": "local"'), `round ${round}: every policy global`);
  }
  t.equal(statSync(n.node.ledgerFile.path).ino, inode, 'appended rows: the file is rewritten in place');
  t.equal(n.node.sync.status().loads, loads + 3, 'each changed cycle counts as a load');
  await syncedEqualsDump(t, n, 'nothing new');
  t.equal(n.node.sync.status().loads, loads + 3, 'an unchanged cycle is not a load');

  // a local-only policy: the cycle re-pushes it (in-process) and keeps it, global, after the dump
  await n.ok(`blockchain insert where policy = ${policy('only-local')} and local = true`);
  await n.ok('run blockchain sync');
  t.equal(await n.ok('blockchain get operator where name = only-local bring [*][ledger]'), 'global');
  rows += 1;
  await waitRows(t, n, rows);
  await syncedEqualsDump(t, n, 'local-only policy merged');
  t.equal(statSync(n.node.ledgerFile.path).ino, inode, 'still in place');

  // a row dated before the last one: full install
  await n.ok(
    'blockchain push {"operator": {"name": "early", "id": "e0", "date": "2020-01-01T00:00:00.000000Z"}}',
  );
  rows += 1;
  const early = await syncedEqualsDump(t, n, 'early row');
  t.ok(early.startsWith('{"operator": {"name": "early"'), 'the early row sorts first');
  t.not(statSync(n.node.ledgerFile.path).ino, inode, 'out-of-order rows: full install by rename');

  // appends after a full install are incremental again
  const inode2 = statSync(n.node.ledgerFile.path).ino;
  await insertRound(4);
  await syncedEqualsDump(t, n, 'after the full install');
  t.equal(statSync(n.node.ledgerFile.path).ino, inode2, 'in place again');

  // a drop: the table shrinks, the next cycle dumps in full and still equals the table
  await n.ok('blockchain drop policy where id = e0');
  await n.ok(
    'blockchain push {"operator": {"name": "late", "id": "l0", "date": "2099-01-01T00:00:00.000000Z"}}',
  );
  await syncedEqualsDump(t, n, 'after a drop and a push');
  t.equal(await n.ok('blockchain get operator where id = e0 bring.count'), '[]');
  t.equal(await n.ok('blockchain get operator where name = late bring.count'), '1');
}

t.test('sqlite master', async (t) => {
  const n = await startTestNode(t);
  await n.ok('connect dbms blockchain where type = sqlite');
  await exercise(t, n);
});

t.test('psql master', async (t) => {
  const db = await createTestDatabase('incsync');
  t.teardown(() => db.drop());
  const n = await startTestNode(t);
  await n.ok(
    `connect dbms blockchain where type = psql and ip = ${db.host} and port = ${db.port} and user = ${db.user} and password = ${db.password} and database = ${db.name}`,
  );
  await exercise(t, n);
});
