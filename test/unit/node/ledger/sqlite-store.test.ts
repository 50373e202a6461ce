// The SQLite ledger store's group commit: inserts of one event-loop turn share a transaction
// but keep their own outcomes (a duplicate in the batch is 'duplicate', the others are stored), a read
// issued after an insert sees it, and a missing table fails each insert with its own error.
import t from 'tap';
import { SqliteLedgerStore } from '../../../../src/node/ledger/sqlite-store.js';
import { LedgerError } from '../../../../src/node/ledger/errors.js';

function row(id: string) {
  return {
    policyType: 'p',
    policyId: id,
    companyName: 'c',
    date: '2026-01-01T00:00:00.000000Z',
    host: '127.0.0.1',
    status: null,
    policy: `{"p": {"id": "${id}"}}`,
  };
}

t.test('one batch, outcomes per row', async (t) => {
  const store = new SqliteLedgerStore({ logicalName: 'blockchain', location: ':memory:' });
  t.teardown(() => store.close());
  await store.createTable();
  await store.insert(row('a'));
  const outcomes = await Promise.all(['b', 'a', 'c', 'b'].map((id) => store.insert(row(id))));
  t.same(outcomes, ['inserted', 'duplicate', 'inserted', 'duplicate']);
  t.same(await store.dump(), ['{"p": {"id": "a"}}', '{"p": {"id": "b"}}', '{"p": {"id": "c"}}']);
});

t.test('a read after an insert sees it', async (t) => {
  const store = new SqliteLedgerStore({ logicalName: 'blockchain', location: ':memory:' });
  t.teardown(() => store.close());
  await store.createTable();
  const pending = store.insert(row('x'));
  const rows = await store.dumpRows();
  t.same(
    rows.map((r) => r.policy),
    ['{"p": {"id": "x"}}'],
  );
  t.equal(await pending, 'inserted');
});

t.test('no table: every insert of the batch fails with no-table', async (t) => {
  const store = new SqliteLedgerStore({ logicalName: 'blockchain', location: ':memory:' });
  t.teardown(() => store.close());
  const results = await Promise.allSettled([store.insert(row('a')), store.insert(row('b'))]);
  for (const r of results) {
    t.equal(r.status, 'rejected');
    if (r.status === 'rejected') {
      t.ok(r.reason instanceof LedgerError);
      t.equal((r.reason as LedgerError).failure, 'no-table');
    }
  }
});
