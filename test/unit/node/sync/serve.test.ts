// Master-side `event get_blockchain` serving with a real in-memory SQLite ledger, a recording peer
// transport and a manual clock: unchanged hash → nothing sent; changed → one GENERIC 2 transfer to
// `…master_id_<n>.new`; the same md5 to the same requester within 5 s is delayed by a timer, not sent twice.
import t, { type Test } from 'tap';
import { LedgerServer } from '../../../../src/node/sync/serve.js';
import { SqliteLedgerStore } from '../../../../src/node/ledger/sqlite-store.js';
import type { NodeServices } from '../../../../src/node/ports/runtime.js';
import type { PeerTransport } from '../../../../src/node/ports/network.js';
import { silentLogger } from '../../../../src/common/logger.js';
import { createHash } from 'node:crypto';
import { edgeLakeEntry } from '../../../helpers/edgelake-fixtures.js';

function harness(t: Test, opts: { sendFails?: Error; connected?: boolean } = {}) {
  const store = new SqliteLedgerStore({ logicalName: 'blockchain', location: ':memory:' });
  t.teardown(() => store.close());
  let dumps = 0;
  const dumpRows = store.dumpRows.bind(store);
  store.dumpRows = () => {
    dumps += 1;
    return dumpRows();
  };
  const sent: { dest: string; path: string; data: string; flag: number }[] = [];
  const commands: { dest: readonly string[]; command: string; wait?: boolean }[] = [];
  const timers: { at: number; fn: () => void }[] = [];
  let now = 1_000_000;
  const peers: PeerTransport = {
    sendCommand: async (dest, command, o) => {
      commands.push(o.wait ? { dest, command, wait: true } : { dest, command });
      return [];
    },
    sendFile: async (dest, path, data, flag) => {
      if (opts.sendFails !== undefined) throw opts.sendFails;
      sent.push({ dest, path, data: Buffer.from(data).toString('utf8'), flag });
    },
    isOwnAddress: () => false,
    failedPeers: () => [],
  };
  const node = {
    dbms: {
      get: (name: string) => (name === 'blockchain' && opts.connected !== false ? store : undefined),
    },
    ledgerFile: { metadataVersion: () => '0', policies: () => [] },
    peers,
    logger: silentLogger(),
    clock: {
      now: () => now,
      monotonic: () => now,
      sleep: async () => undefined,
      setTimer: (ms: number, fn: () => void) => {
        timers.push({ at: now + ms, fn });
        return { cancel: () => undefined };
      },
    },
  } as unknown as NodeServices;
  return {
    node,
    server: new LedgerServer(node),
    store,
    sent,
    commands,
    timers,
    advance: (ms: number) => (now += ms),
    dumps: () => dumps,
  };
}

const row = (id: string) => ({
  policyType: 'p',
  policyId: id,
  companyName: null,
  date: `2026-01-01T00:00:0${id}.000000Z`,
  host: '127.0.0.1',
  status: null,
  policy: `{"p": {"id": "${id}"}}`,
});

t.test('serving rules', async (t) => {
  const h = harness(t);
  const req = (hash: string) => ({ args: ['/b/blockchain.new', hash, '0'], requester: '10.0.0.2:32148' });
  t.same(await h.server.serve(req('0')), { code: 68, detail: 'Table ledger not found' }, 'no table → 68');
  await h.store.createTable();
  t.same(await h.server.serve(req('0')), { code: 59, detail: 'Empty ledger table' }, 'empty table → 59');
  t.equal((await h.server.serve({ args: ['/b/x'], requester: 'a:1' })).code, 64);
  await h.store.insert(row('1'));
  const dump = '{"p": {"id": "1"}}\n';
  const md5 = createHash('md5').update(dump).digest('hex');
  t.equal((await h.server.serve(req(md5))).code, 0);
  t.equal(h.sent.length, 0, 'current requester gets nothing');
  t.same(h.commands, [], 'and no print without trace');
  await h.server.serve(req('0'));
  t.same(h.sent, [{ dest: '10.0.0.2:32148', path: '/b/blockchain.master_id_1.new', data: dump, flag: 2 }]);
  h.advance(1000);
  await h.server.serve(req('0'));
  t.equal(h.sent.length, 1, 'same md5 within 5 s is not sent at once');
  t.equal(h.timers.length, 1);
  t.equal(h.timers[0]?.at, 1_000_000 + 5000, 'delayed until 5 s after the first transfer');
  await fireDelayed(h, 0);
  t.equal(h.sent.length, 2, 'delayed transfer sent');
  t.equal(h.sent[1]?.path, '/b/blockchain.master_id_2.new', 'copy id advances');
  for (let i = 0; i < 8; i++) {
    h.advance(6000);
    await h.server.serve(req('0'));
  }
  t.equal(h.sent.at(-1)?.path, '/b/blockchain.master_id_1.new', 'copy ids cycle 1..9');
});

t.test('trace 2 answers with a print whose message travels as one word (TABs)', async (t) => {
  const h = harness(t);
  await h.store.createTable();
  await h.store.insert(row('1'));
  const md5 = createHash('md5').update('{"p": {"id": "1"}}\n').digest('hex');
  const fact = (edgeLakeEntry('tcp', 'get-blockchain-trace-unchanged').edgelake['reply'] ?? {}) as Record<
    string,
    unknown
  >;
  await h.server.serve({ args: ['/b/blockchain.new', md5, '2'], requester: '10.0.0.2:32148' });
  t.same(h.commands, [{ dest: ['10.0.0.2:32148'], command: String(fact['command']).replace('<md5>', md5) }]);
});

const REQUESTER = '10.0.0.2:32148';
const md5Of = (text: string) => createHash('md5').update(text).digest('hex');

t.test('a master without its ledger database answers 68 and names the database', async (t) => {
  const h = harness(t, { connected: false });
  t.same(await h.server.serve({ args: ['/b/blockchain.new', '0', '0'], requester: REQUESTER }), {
    code: 68,
    detail: "Database 'blockchain' not connected",
  });
});

t.test('trace 2 on a copy sends a fire-and-forget print of the md5 after the file', async (t) => {
  const h = harness(t);
  await h.store.createTable();
  await h.store.insert(row('1'));
  const md5 = md5Of('{"p": {"id": "1"}}\n');
  await h.server.serve({ args: ['/b/blockchain.new', '0', '2'], requester: REQUESTER });
  t.equal(h.sent.length, 1);
  t.same(h.commands, [
    { dest: [REQUESTER], command: `print Master\tcopied\tblockchain\tfile\twith\thash\tvalue:\t${md5}` },
  ]);
  const g = harness(t);
  await g.store.createTable();
  await g.store.insert(row('1'));
  await g.server.serve({ args: ['/b/blockchain.new', '0', '0'], requester: REQUESTER });
  t.equal(g.sent.length, 1);
  t.same(g.commands, [], 'no print without trace');
});

t.test('a copy that cannot be sent is reported to a tracing requester with its code', async (t) => {
  const h = harness(t, { sendFails: Object.assign(new Error('refused'), { status: 40 }) });
  await h.store.createTable();
  await h.store.insert(row('1'));
  t.same(await h.server.serve({ args: ['/b/blockchain.new', '0', '2'], requester: REQUESTER }), { code: 0 });
  t.same(h.commands, [
    {
      dest: [REQUESTER],
      command: 'print Master\tProcess:\tFailed\tto\tcopy\tfile\tfrom\tMaster\tto\tNode\twith\terror\t40',
    },
  ]);
  const g = harness(t, { sendFails: new Error('no status') });
  await g.store.createTable();
  await g.store.insert(row('1'));
  await g.server.serve({ args: ['/b/blockchain.new', '0', '2'], requester: REQUESTER });
  t.match(g.commands[0]?.command ?? '', /\terror\t208$/, 'without a status: 208');
  const w = harness(t, { sendFails: Object.assign(new Error('odd'), { status: '40' }) });
  await w.store.createTable();
  await w.store.insert(row('1'));
  await w.server.serve({ args: ['/b/blockchain.new', '0', '2'], requester: REQUESTER });
  t.match(w.commands[0]?.command ?? '', /\terror\t208$/, 'a status that is not a number: 208');
  const q = harness(t, { sendFails: new Error('quiet') });
  await q.store.createTable();
  await q.store.insert(row('1'));
  await q.server.serve({ args: ['/b/blockchain.new', '0', '0'], requester: REQUESTER });
  t.same(q.commands, [], 'no print without trace');
});

t.test('a destination with TABs for spaces gets its copy under the spaced path', async (t) => {
  const h = harness(t);
  await h.store.createTable();
  await h.store.insert(row('1'));
  await h.server.serve({ args: ['/b/my\tdir/blockchain.new', '0', '0'], requester: REQUESTER });
  t.equal(h.sent[0]?.path, '/b/my dir/blockchain.master_id_1.new');
});

t.test('the repeat window holds back only the same content, for less than 5 s', async (t) => {
  const h = harness(t);
  const req = { args: ['/b/blockchain.new', '0', '0'], requester: REQUESTER };
  await h.store.createTable();
  await h.store.insert(row('1'));
  await h.server.serve(req);
  t.equal(h.sent.length, 1);
  await h.store.insert(row('2'));
  h.advance(1000);
  await h.server.serve(req);
  t.equal(h.sent.length, 2, 'new content is sent at once');
  t.equal(h.timers.length, 0);
  h.advance(5000);
  await h.server.serve(req);
  t.equal(h.sent.length, 3, 'the same content exactly 5 s later is sent at once');
  t.equal(h.timers.length, 0);
});

t.test('a current requester is answered from the cursor without dumping the table', async (t) => {
  const h = harness(t);
  await h.store.createTable();
  await h.store.insert(row('1'));
  await h.server.serve({ args: ['/b/blockchain.new', '0', '0'], requester: REQUESTER });
  t.equal(h.dumps(), 1);
  const md5 = md5Of('{"p": {"id": "1"}}\n');
  t.same(await h.server.serve({ args: ['/b/blockchain.new', md5, '0'], requester: REQUESTER }), { code: 0 });
  t.equal(h.dumps(), 1, 'no second dump');
  t.equal(h.sent.length, 1);
});

/** A ledger of one row and three requests for it a second apart: the last two are held back. */
async function twoHeldBack(t: Test): Promise<ReturnType<typeof harness>> {
  const h = harness(t);
  const req = { args: ['/b/blockchain.new', '0', '0'], requester: REQUESTER };
  await h.store.createTable();
  await h.store.insert(row('1'));
  await h.server.serve(req);
  h.advance(1000);
  await h.server.serve(req);
  h.advance(1000);
  await h.server.serve(req);
  return h;
}

/** Run the i-th held-back copy's timer and let its send settle. */
async function fireDelayed(h: ReturnType<typeof harness>, i: number): Promise<void> {
  h.timers[i]?.fn();
  await new Promise((r) => setImmediate(r));
}

t.test('a delayed copy is sent as the ledger is when the delay ends, once', async (t) => {
  const h = await twoHeldBack(t);
  t.equal(h.timers.length, 2, 'two requests held back');
  h.advance(3000);
  await fireDelayed(h, 0);
  t.equal(h.sent.length, 2, 'the first delayed copy');
  await h.store.insert(row('2'));
  await fireDelayed(h, 1);
  t.equal(h.sent.length, 3, 'the ledger changed meanwhile: the second is sent too');
  t.equal(h.sent[2]?.data, '{"p": {"id": "1"}}\n{"p": {"id": "2"}}\n');
});

t.test('a delayed copy is not sent twice when the ledger did not change', async (t) => {
  const h = await twoHeldBack(t);
  h.advance(3000);
  await fireDelayed(h, 0);
  await fireDelayed(h, 1);
  t.equal(h.sent.length, 2, 'one delayed copy for both requests');
});

t.test('a delayed copy is dropped when the ledger went back to what the requester has', async (t) => {
  const h = harness(t);
  await h.store.createTable();
  await h.store.insert(row('1'));
  const held = md5Of('{"p": {"id": "1"}}\n');
  await h.store.insert(row('2'));
  const req = { args: ['/b/blockchain.new', held, '0'], requester: REQUESTER };
  await h.server.serve(req);
  h.advance(1000);
  await h.server.serve(req);
  t.equal(h.timers.length, 1);
  await h.store.deleteById('2');
  await fireDelayed(h, 0);
  t.equal(h.sent.length, 1, 'nothing more sent');
});
