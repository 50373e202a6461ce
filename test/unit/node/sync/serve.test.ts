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

function harness(t: Test) {
  const store = new SqliteLedgerStore({ logicalName: 'blockchain', location: ':memory:' });
  t.teardown(() => store.close());
  const sent: { dest: string; path: string; data: string; flag: number }[] = [];
  const commands: { dest: readonly string[]; command: string }[] = [];
  const timers: { at: number; fn: () => void }[] = [];
  let now = 1_000_000;
  const peers: PeerTransport = {
    sendCommand: async (dest, command) => {
      commands.push({ dest, command });
      return [];
    },
    sendFile: async (dest, path, data, flag) => {
      sent.push({ dest, path, data: Buffer.from(data).toString('utf8'), flag });
    },
    isOwnAddress: () => false,
    failedPeers: () => [],
  };
  const node = {
    dbms: { get: (name: string) => (name === 'blockchain' ? store : undefined) },
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
  t.equal((await h.server.serve(req('0'))).code, 68, 'no table → 68');
  await h.store.createTable();
  t.equal((await h.server.serve(req('0'))).code, 59, 'empty table → 59');
  t.equal((await h.server.serve({ args: ['/b/x'], requester: 'a:1' })).code, 64);
  await h.store.insert(row('1'));
  const dump = '{"p": {"id": "1"}}\n';
  const md5 = createHash('md5').update(dump).digest('hex');
  t.equal((await h.server.serve(req(md5))).code, 0);
  t.equal(h.sent.length, 0, 'current requester gets nothing');
  await h.server.serve(req('0'));
  t.same(h.sent, [{ dest: '10.0.0.2:32148', path: '/b/blockchain.master_id_1.new', data: dump, flag: 2 }]);
  h.advance(1000);
  await h.server.serve(req('0'));
  t.equal(h.sent.length, 1, 'same md5 within 5 s is not sent at once');
  t.equal(h.timers.length, 1);
  t.equal(h.timers[0]?.at, 1_000_000 + 5000, 'delayed until 5 s after the first transfer');
  h.timers[0]?.fn();
  await new Promise((r) => setImmediate(r));
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
