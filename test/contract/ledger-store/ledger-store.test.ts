// One LedgerStore contract suite run against both implementations: SQLite (node:sqlite, file in a temp
// dir) and PostgreSQL (a fresh database on the test server). Needs ANYLOG_TEST_PG_URL (fails without it).
import t, { type Test } from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LedgerRow, LedgerStore } from '../../../src/node/ports/ledger.js';
import { SqliteLedgerStore } from '../../../src/node/ledger/sqlite-store.js';
import { PgLedgerStore } from '../../../src/node/ledger/pg-store.js';
import { LedgerError } from '../../../src/node/ledger/errors.js';
import { silentLogger } from '../../../src/common/logger.js';
import { createTestDatabase } from '../../helpers/pg.js';
import pg from 'pg';
import { readVectorText } from '../../helpers/vectors.js';

function row(id: string, date: string, extra: Partial<LedgerRow> = {}): LedgerRow {
  return {
    policyType: 'p',
    policyId: id,
    companyName: 'acme',
    date,
    host: '127.0.0.1',
    status: null,
    policy: `{"p": {"name": "${id}", "id": "${id}", "date": "${date}"}}`,
    ...extra,
  };
}

type Factory = (t: Test) => Promise<LedgerStore>;

function suite(name: string, open: Factory): void {
  t.test(`${name}: LedgerStore contract`, async (t) => {
    const store = await open(t);
    t.teardown(() => store.close());

    t.equal(await store.tableExists(), false, 'no table at first');
    await store.createTable();
    t.equal(await store.tableExists(), true, 'table created');
    await store.createTable();
    t.pass('createTable is idempotent');

    t.same(await store.dump(), [], 'empty dump');
    t.equal(await store.insert(row('b', '2026-01-02T00:00:02.000000Z')), 'inserted');
    t.equal(await store.insert(row('a', '2026-01-02T00:00:01.000000Z')), 'inserted');
    t.equal(await store.insert(row('c', '2026-01-02T00:00:02.000000Z')), 'inserted');
    t.equal(
      await store.insert(row('a', '2026-01-03T00:00:00.000000Z')),
      'duplicate',
      'same id is a duplicate',
    );
    const dump = await store.dump();
    t.same(
      dump.map((d) => /"id": "(\w+)"/.exec(d)?.[1]),
      ['a', 'b', 'c'],
      'dump ordered by date, then sequence_id',
    );
    t.equal(
      dump[0],
      '{"p": {"name": "a", "id": "a", "date": "2026-01-02T00:00:01.000000Z"}}',
      'text byte for byte',
    );

    const hostile = "x'); DROP TABLE ledger; --";
    t.equal(
      await store.insert(
        row('q', '2026-01-04T00:00:00.000000Z', { companyName: hostile, status: hostile, policy: hostile }),
      ),
      'inserted',
      'injection-shaped values are data',
    );
    t.equal(await store.tableExists(), true, 'table still there');
    t.equal((await store.dump()).at(-1), hostile);
    t.equal(await store.deleteById("q' OR '1'='1"), 0, 'injection-shaped id deletes nothing');

    t.equal(await store.deleteById('b'), 1);
    t.equal(await store.deleteById('b'), 0);
    t.equal((await store.dump()).length, 3);

    await store.dropTable();
    t.equal(await store.tableExists(), false, 'dropped');
    await t.rejects(store.dump(), LedgerError, 'dump without table fails with a LedgerError');
    await t.rejects(store.dropTable(), LedgerError);
  });

  t.test(`${name}: concurrent inserts of one id: exactly one wins`, async (t) => {
    const store = await open(t);
    t.teardown(() => store.close());
    await store.createTable();
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, () => store.insert(row('same', '2026-01-02T00:00:00.000000Z'))),
    );
    t.equal(outcomes.filter((o) => o === 'inserted').length, 1);
    t.equal(outcomes.filter((o) => o === 'duplicate').length, 7);
  });
}

suite('sqlite', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-sqlite-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return new SqliteLedgerStore({ logicalName: 'blockchain', location: join(dir, 'blockchain.dbms') });
});

suite('psql', async (t) => {
  const db = await createTestDatabase('ledger');
  t.teardown(() => db.drop());
  return PgLedgerStore.open({
    logicalName: 'blockchain',
    host: db.host,
    port: db.port,
    user: db.user,
    password: db.password,
    database: db.name,
    poolSize: 4,
    logger: silentLogger(),
  });
});

t.test('psql: the created table matches vectors/ledger-ddl.sql (\\d ledger)', async (t) => {
  const db = await createTestDatabase('ddl');
  t.teardown(() => db.drop());
  const store = await PgLedgerStore.open({
    logicalName: 'blockchain',
    host: db.host,
    port: db.port,
    user: db.user,
    password: db.password,
    database: db.name,
    poolSize: 1,
    logger: silentLogger(),
  });
  t.teardown(() => store.close());
  await store.createTable();
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  t.teardown(() => client.end());
  const cols = await client.query(
    "SELECT column_name, data_type, is_nullable, column_default FROM information_schema.columns WHERE table_name = 'ledger' ORDER BY ordinal_position",
  );
  t.same(
    cols.rows.map((r: Record<string, unknown>) => [
      r['column_name'],
      r['data_type'],
      r['is_nullable'],
      r['column_default'],
    ]),
    [
      ['sequence_id', 'integer', 'NO', "nextval('ledger_sequence_id_seq'::regclass)"],
      ['policy_type', 'character varying', 'NO', null],
      ['policy_id', 'character varying', 'NO', null],
      ['company_name', 'character varying', 'YES', null],
      ['date', 'timestamp without time zone', 'NO', 'now()'],
      ['host', 'character varying', 'NO', null],
      ['status', 'character varying', 'YES', null],
      ['policy', 'character varying', 'YES', null],
    ],
  );
  const idx = await client.query(
    "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'ledger' ORDER BY indexname",
  );
  t.same(
    idx.rows.map((r: Record<string, unknown>) => r['indexname']),
    ['hash_index', 'ledger_pkey', 'time_index'],
  );
  t.match(
    String(idx.rows[0]?.['indexdef']),
    /CREATE UNIQUE INDEX hash_index ON \S*ledger USING btree \(policy_id\)/,
  );
  t.match(String(idx.rows[2]?.['indexdef']), /CREATE INDEX time_index ON \S*ledger USING btree \(date\)/);
});

t.test('sqlite: the created table and indexes are EdgeLake statements', async (t) => {
  const store = new SqliteLedgerStore({ logicalName: 'blockchain', location: ':memory:' });
  t.teardown(() => store.close());
  await store.createTable();
  const db = (store as unknown as { db: { prepare(sql: string): { all(): { sql: string }[] } } }).db;
  const sqls = db
    .prepare("SELECT sql FROM sqlite_master WHERE tbl_name = 'ledger' AND sql IS NOT NULL ORDER BY name")
    .all();
  const vectorSqlite = readVectorText('ledger-ddl.sql')
    .split('\n')
    .filter((l) => l.startsWith('--   create'))
    .map((l) => l.slice(5).replace(/;$/, ''));
  t.equal(vectorSqlite.length, 3);
  t.same(
    sqls.map((r) => r.sql.toLowerCase()).sort(),
    [...vectorSqlite].sort(),
    'SQLite upper-cases stored keywords',
  );
});
