// PostgreSQL going away and coming back: ledger commands answer coded errors naming the database while the
// server is down, nothing committed is lost, and the same pool works again after the restart (no reconnect).
import t from 'tap';
import { startPostgres } from '../../../controlplane/src/postgres.js';
import { startTestNode } from './fixtures/node-harness.js';
import { STATUS } from '../../../../src/contract/status-codes.js';

const policy = (name: string): string => `{"p": {"name": "${name}", "company": "acme"}}`;

t.test('ledger survives a PostgreSQL stop/start', async (t) => {
  const pg = await startPostgres();
  t.teardown(() => pg.destroy());
  const n = await startTestNode(t, { TCP_THREADS: '2', REST_THREADS: '2' });
  await n.ok(
    `connect dbms blockchain where type = psql and ip = ${pg.host} and port = ${pg.port} and user = ${pg.user} and password = ${pg.password} and database = ledgerdb`,
  );
  await n.ok('create table ledger where dbms = blockchain');
  await n.ok(`blockchain push ${policy('before-1')}`);
  await n.ok(`blockchain push ${policy('before-2')}`);

  await pg.stop();
  const down = [
    await n.run(`blockchain push ${policy('during')}`),
    await n.run('info table blockchain ledger exists'),
    await n.run('blockchain drop policy where id = 0123'),
  ];
  for (const r of down) {
    t.equal(r.code, 50, `coded error while down: ${r.detail ?? ''}`);
    t.match(r.detail ?? '', /blockchain/, 'detail names the database');
    t.notMatch(r.detail ?? '', new RegExp(pg.password), 'no password in the detail');
  }
  const created = await n.run('blockchain create table');
  t.not(created.code, 0, 'create table fails while down');

  await pg.start();
  let back = await n.run('info table blockchain ledger exists');
  for (let i = 0; i < 40 && back.code !== STATUS.SUCCESS; i++) {
    await new Promise((r) => setTimeout(r, 250));
    back = await n.run('info table blockchain ledger exists');
  }
  t.same([back.code, back.text], [0, 'true'], 'same pool works again');
  await n.ok(`blockchain push ${policy('after')}`);
  const store = n.node.dbms.get('blockchain');
  const dump = (await store?.dump()) ?? [];
  t.same(
    dump.map((d) => /"name": "([^"]+)"/.exec(d)?.[1]),
    ['before-1', 'before-2', 'after'],
    'rows from before the outage are intact',
  );
});
