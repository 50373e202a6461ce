// The table cursor of incremental sync on a real in-memory SQLite ledger: its md5 is the
// md5 of the full dump; rows appended in dump order are read alone; a delete, a row dated before the last
// one, or an empty table ask for a full dump; a current requester is answered from the cursor.
import t from 'tap';
import { createHash } from 'node:crypto';
import { SqliteLedgerStore } from '../../../../src/node/ledger/sqlite-store.js';
import { checkTable, TableCursor } from '../../../../src/node/sync/table-cursor.js';
import { LedgerServer } from '../../../../src/node/sync/serve.js';
import type { NodeServices } from '../../../../src/node/ports/runtime.js';
import type { PeerTransport } from '../../../../src/node/ports/network.js';
import { silentLogger } from '../../../../src/common/logger.js';
import { parseLedgerText } from '../../../../src/node/ledger/policy-line.js';

const md5 = (s: string): string => createHash('md5').update(s).digest('hex');

function row(id: string, second: number) {
  return {
    policyType: 'p',
    policyId: id,
    companyName: null,
    date: `2026-01-01T00:00:${String(second).padStart(2, '0')}.000000Z`,
    host: '127.0.0.1',
    status: null,
    policy: `{"p": {"id": "${id}"}}`,
  };
}

async function fullDump(store: SqliteLedgerStore): Promise<string> {
  return (await store.dump()).map((p) => `${p}\n`).join('');
}

t.test('cursor md5 follows the dump through appends; other changes ask for a full dump', async (t) => {
  const store = new SqliteLedgerStore({ logicalName: 'blockchain', location: ':memory:' });
  t.teardown(() => store.close());
  await store.createTable();
  await Promise.all([row('a', 1), row('b', 2), row('c', 3)].map((r) => store.insert(r)));
  let cursor = TableCursor.fromRows(await store.dumpRows());
  t.equal(cursor.md5, md5(await fullDump(store)));
  t.same([cursor.count, cursor.maxSeq, cursor.lastSeq], [3, 3, 3]);

  const unchanged = await checkTable(store, cursor);
  t.ok(unchanged.appended && unchanged.rows.length === 0, 'no change: no rows, same md5');
  if (unchanged.appended) t.equal(unchanged.cursor.md5, cursor.md5);

  await store.insert(row('d', 5));
  await store.insert(row('e', 4));
  const grown = await checkTable(store, cursor);
  t.ok(grown.appended, 'appended rows dated after the last row');
  if (!grown.appended) return;
  t.same(
    grown.rows.map((r) => r.policy),
    ['{"p": {"id": "e"}}', '{"p": {"id": "d"}}'],
    'the new rows in dump order',
  );
  t.equal(grown.cursor.md5, md5(await fullDump(store)), 'md5 of the whole dump without dumping');
  cursor = grown.cursor;
  t.equal(cursor.lastSeq, 4, 'last row in dump order (sequence 4, dated :05)');

  await store.insert(row('early', 2));
  t.notOk((await checkTable(store, cursor)).appended, 'a row dated before the last one → full dump');
  cursor = TableCursor.fromRows(await store.dumpRows());
  t.equal(cursor.md5, md5(await fullDump(store)));

  t.equal(await store.deleteById('b'), 1);
  t.notOk((await checkTable(store, cursor)).appended, 'a delete → full dump');
  t.notOk((await checkTable(store, TableCursor.fromRows([]))).appended, 'no rows seen → full dump');
});

t.test('serving answers a current requester from the cursor', async (t) => {
  const store = new SqliteLedgerStore({ logicalName: 'blockchain', location: ':memory:' });
  t.teardown(() => store.close());
  await store.createTable();
  await store.insert(row('a', 1));
  const sent: string[] = [];
  const data: string[] = [];
  const peers: PeerTransport = {
    sendCommand: async () => [],
    sendFile: async (_dest, path, bytes) => {
      sent.push(path);
      data.push(Buffer.from(bytes).toString('utf8'));
    },
    isOwnAddress: () => false,
    failedPeers: () => [],
  };
  let now = 1_000_000;
  // The node's own ledger file: a copy is taken from it when it holds exactly the dump.
  let fileText = '';
  const ledgerFile = {
    metadataVersion: () => (fileText === '' ? '0' : md5(fileText)),
    policies: () => parseLedgerText(fileText).policies,
    // A file whose text is not known byte for byte: the copy is rebuilt from its policies.
    exactText: () => undefined,
  };
  const node = {
    dbms: { get: (name: string) => (name === 'blockchain' ? store : undefined) },
    ledgerFile,
    peers,
    logger: silentLogger(),
    clock: {
      now: () => now,
      monotonic: () => now,
      sleep: async () => undefined,
      setTimer: () => ({ cancel: () => undefined }),
    },
  } as unknown as NodeServices;
  const server = new LedgerServer(node);
  const req = (hash: string) => ({ args: ['/b/blockchain.new', hash, '0'], requester: '10.0.0.2:32148' });
  const first = await server.dump();
  t.ok(first.ok);
  await store.insert(row('b', 2));
  const expected = md5(await fullDump(store));
  t.equal((await server.serve(req(expected))).code, 0);
  t.same(sent, [], 'appended since the last dump, requester current: nothing sent');
  now += 10_000;
  await server.serve(req('0'));
  t.equal(sent.length, 1, 'an outdated requester gets the copy');
  t.equal(data[0], await fullDump(store), 'the dump of the table');
  fileText = await fullDump(store);
  await store.deleteById('a');
  now += 10_000;
  await server.serve(req(expected));
  t.equal(sent.length, 2, 'after a delete the full dump decides (md5 changed)');
  t.equal(data[1], await fullDump(store), 'the file (now stale) is not used');
  fileText = await fullDump(store);
  await store.insert(row('c', 3));
  t.not(md5(fileText), md5(await fullDump(store)));
  fileText = await fullDump(store);
  now += 10_000;
  await server.serve(req('0'));
  t.equal(data[2], fileText, 'file = dump: the copy comes from the file, byte for byte');
});

t.test('the cursor keeps the highest sequence id when dump order is not sequence order', async (t) => {
  const store = new SqliteLedgerStore({ logicalName: 'blockchain', location: ':memory:' });
  t.teardown(() => store.close());
  await store.createTable();
  // inserted later (higher sequence id) but dated earlier: dumped first
  await store.insert(row('late', 5));
  await store.insert(row('early', 1));
  const cursor = TableCursor.fromRows(await store.dumpRows());
  t.same([cursor.maxSeq, cursor.lastSeq], [2, 1]);
  const check = await checkTable(store, cursor);
  t.equal(check.appended, true, 'an unchanged table needs no full dump');
});

t.test('where the store sums the sequence ids, a sum that differs asks for a full dump', async (t) => {
  // a store that reports the sum of sequence ids with its count, as PostgreSQL does
  const answer = { count: 3, seqSum: 6, rows: [{ seq: 3, policy: '{"p": {"id": "c"}}' }], outOfOrder: false };
  const store = {
    dumpRows: () => Promise.resolve([]),
    rowsAfter: () => Promise.resolve(answer),
  } as unknown as SqliteLedgerStore;
  const cursor = TableCursor.fromRows([
    { seq: 1, policy: '{"p": {"id": "a"}}' },
    { seq: 2, policy: '{"p": {"id": "b"}}' },
  ]);
  const check = await checkTable(store, cursor);
  t.equal(check.appended, true, '1 + 2 + 3: only an append');
  t.equal(check.appended && check.cursor.seqSum, 6);
  answer.seqSum = 7;
  t.equal((await checkTable(store, cursor)).appended, false, 'a row replaced under the same count');
});
