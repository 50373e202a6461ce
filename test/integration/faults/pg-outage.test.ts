// PostgreSQL stopped for 30 s under a steady stream of policy inserts to a real master process. Two kinds
// of REST clients: `blockchain insert … local = true and master = <itself>` (the file is written before
// the answer; the table write follows) and `blockchain push` (a master-side table write, answered after
// the row is stored). Every answer is recorded. Afterwards every acknowledged policy is in the table and
// in blockchain.json; a refused push carries a coded error and is never half stored: it is either
// absent or present whole (the server may have committed it just before the stop); the node answered
// every request throughout. The counts are printed as comments.
import t from 'tap';
import { startPrivatePostgres } from '../../helpers/private-pg.js';
import {
  acknowledged,
  eventually,
  fileView,
  runClients,
  startMaster,
  tableView,
  tally,
} from './fixtures/master-process.js';

t.setTimeout(300_000);

const OUTAGE_MS = 30_000;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

t.test('a 30 s PostgreSQL stop loses no acknowledged policy', { timeout: 180_000 }, async (t) => {
  const pg = await startPrivatePostgres(t, 'pgout', 'blockchain');
  const m = await startMaster(t, pg);
  // Three inserting clients and one pushing client, each about 10 requests a second.
  const run = runClients(m, {
    clients: 4,
    prefix: 'pgout',
    pauseMs: 100,
    kind: (c) => (c < 3 ? 'insert' : 'push'),
  });
  await sleep(3_000);
  const stoppedAt = Date.now();
  await pg.stop();
  const countAtStop = run.attempts.length;
  await sleep(Math.max(0, OUTAGE_MS - (Date.now() - stoppedAt)));
  const countBeforeStart = run.attempts.length;
  await pg.start();
  const outage = Date.now() - stoppedAt;
  await sleep(3_000);
  await run.stop();
  const attempts = run.attempts;
  const during = attempts.slice(countAtStop, countBeforeStart);
  t.comment(`outage ${(outage / 1000).toFixed(1)} s; ${attempts.length} attempts: ${tally(attempts)}`);
  t.comment(`during the outage: ${tally(during)}`);

  t.same(
    attempts.filter((a) => a.status === 'no-answer').map((a) => a.name),
    [],
    'the node answered every request',
  );
  t.ok(
    during.some((a) => a.kind === 'push' && a.status !== 200),
    'pushes were refused while PostgreSQL was down',
  );
  const refused = attempts.filter((a) => !acknowledged(a));
  for (const a of refused) {
    t.match(a.body, /\S/, `${a.name}: the refusal carries an error text`);
  }
  const statuses = [...new Set(refused.map((a) => a.status))];
  t.comment(`refusal statuses: ${statuses.join(', ')}; e.g. ${refused[0]?.body.slice(0, 160) ?? '-'}`);

  const acked = attempts.filter(acknowledged).map((a) => a.name);
  // The master's own sync (every second) re-pushes local policies the table missed while it was down.
  let table = await tableView(pg);
  let file = fileView(m);
  const converged = await eventually(async () => {
    table = await tableView(pg);
    file = fileView(m);
    return acked.every((n) => table.names.has(n)) && table.byId.size === file.byId.size;
  }, 30_000);
  t.ok(converged, 'the table caught up with every acknowledged policy');
  const missingInTable = acked.filter((n) => !table.names.has(n));
  const missingInFile = acked.filter((n) => !file.names.has(n));
  t.same(missingInTable, [], 'every acknowledged policy is in the ledger table');
  t.same(missingInFile, [], 'every acknowledged policy is in blockchain.json');
  t.equal(file.bad, 0, 'every line of blockchain.json is a policy');
  t.equal(table.entries, table.byId.size, 'each policy id once in the table');
  t.equal(file.entries, file.byId.size, 'each policy id once in blockchain.json');
  t.same([...file.byId.keys()].sort(), [...table.byId.keys()].sort(), 'blockchain.json and the table agree');

  // A refused insert is not in the file; a refused push is absent or present whole (it has its name).
  const refusedInserts = refused.filter((a) => a.kind === 'insert' && file.names.has(a.name));
  t.same(
    refusedInserts.map((a) => a.name),
    [],
    'no refused insert is in blockchain.json',
  );
  const refusedPushesStored = refused.filter((a) => a.kind === 'push' && table.names.has(a.name));
  t.comment(
    `acknowledged ${acked.length}, refused ${refused.length} (of which ${refusedPushesStored.length} ` +
      `pushes committed before their error); table ${table.byId.size} policies, file ${file.byId.size}`,
  );
  const status = await m.rest('get status');
  t.equal(status.status, 200, 'the node still serves after the outage');
});
