// The Synchronizer as the node runs it, against fakes of its ports: a recording peer transport, a manual
// clock, a real in-memory SQLite ledger table and a real ledger file in a temporary directory. Covers the
// schedule (start, period, stop), runOnce joining a running cycle, the requesting cycle of a non-master
// node (the command sent, failures counted and reported), the self-sync cycle of a master (full install,
// unchanged table, incremental tail), status() and installFile.
import t, { type Test } from 'tap';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Synchronizer } from '../../../../src/node/sync/synchronizer.js';
import { SqliteLedgerStore } from '../../../../src/node/ledger/sqlite-store.js';
import { LocalLedgerFile } from '../../../../src/node/ledger/ledger-file.js';
import type { NodeServices, SyncSettings } from '../../../../src/node/ports/runtime.js';
import type { PeerReply } from '../../../../src/node/ports/network.js';
import { STATUS, statusText, type StatusCode } from '../../../../src/contract/status-codes.js';
import { silentLogger } from '../../../../src/common/logger.js';
import { FakeClock, drain } from '../../../helpers/fake-clock.js';

const MASTER = '10.0.0.9:32048';
const SELF = '10.0.0.5:32048';

interface Harness {
  readonly sync: Synchronizer;
  readonly clock: FakeClock;
  readonly store: SqliteLedgerStore;
  readonly file: LocalLedgerFile;
  readonly dir: string;
  readonly sent: { to: readonly string[]; command: string; wait: boolean }[];
  readonly console: string[];
  /** Replies the next sendCommand calls answer with (default: none). */
  replies: PeerReply[];
  /** When set, sendCommand waits for this promise. */
  gate: Promise<void> | undefined;
  dumps: number;
  /** The store the node's `blockchain` database answers with (a reconnect replaces it). */
  current: SqliteLedgerStore;
  readonly lines: () => string[];
}

function harness(t: Test, opts: { dirs?: Record<string, string> } = {}): Harness {
  const dir = mkdtempSync(join(tmpdir(), 'synchronizer-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'blockchain.json');
  const store = new SqliteLedgerStore({ logicalName: 'blockchain', location: ':memory:' });
  t.teardown(() => store.close());
  const clock = new FakeClock();
  const h: Harness = {
    clock,
    store,
    dir,
    sent: [],
    console: [],
    replies: [],
    gate: undefined,
    dumps: 0,
    current: store,
    lines: () =>
      existsSync(path)
        ? readFileSync(path, 'utf8')
            .split('\n')
            .filter((l) => l !== '')
        : [],
  } as unknown as Harness;
  const dumpRows = store.dumpRows.bind(store);
  store.dumpRows = () => {
    h.dumps += 1;
    return dumpRows();
  };
  const node = {
    dirs: { blockchain_file: path, blockchain_dir: dir, ...opts.dirs },
    logger: silentLogger(),
    clock,
    identity: { nodeName: 'n', hostname: 'h', internalIp: '10.0.0.5', externalIp: '10.0.0.5' },
    peers: {
      isOwnAddress: (a: string) => a === SELF,
      sendCommand: async (to: readonly string[], command: string, o: { wait: boolean }) => {
        h.sent.push({ to, command, wait: o.wait });
        if (h.gate !== undefined) await h.gate;
        return h.replies;
      },
      sendFile: async () => undefined,
      failedPeers: () => [],
    },
    dbms: { get: (name: string) => (name === 'blockchain' ? h.current : undefined) },
  } as unknown as NodeServices;
  const file = new LocalLedgerFile(node);
  Object.assign(node, { ledgerFile: file });
  Object.assign(h, { file, sync: new Synchronizer(node, { console: (text) => h.console.push(text) }) });
  t.teardown(() => h.sync.stop());
  return h;
}

function settings(connection: string, over: Partial<SyncSettings> = {}): SyncSettings {
  return { source: 'master', intervalSeconds: 30, dest: ['file'], connection, trace: false, ...over };
}

let seq = 0;
function policyRow(name: string) {
  seq += 1;
  return {
    policyType: 'operator',
    policyId: `id-${name}`,
    companyName: null,
    date: `2026-11-26T12:00:${String(seq % 60).padStart(2, '0')}.000000Z`,
    host: '127.0.0.1',
    status: null,
    policy: `{"operator": {"name": "${name}", "id": "id-${name}"}}`,
  };
}

function reply(kind: PeerReply['kind'], code: number, text = 'no'): PeerReply {
  return { destination: MASTER, kind, text, code: code as StatusCode };
}

t.test('status before start is idle and empty', async (t) => {
  const h = harness(t);
  t.same(h.sync.status(), {
    running: false,
    settings: undefined,
    detail: '',
    calls: 0,
    loads: 0,
    syncOk: 0,
    syncErr: 0,
    lastUpdateMs: undefined,
  });
  await h.sync.runOnce();
  t.equal(h.sync.status().calls, 0, 'no cycle without settings');
  t.equal(await h.sync.install('{"operator": {"name": "a", "id": "1"}}\n'), false, 'no install before start');
  t.same(h.lines(), []);
});

t.test('a node asks its master for the ledger at start and then every period', async (t) => {
  const h = harness(t);
  const s = settings(MASTER);
  await h.sync.start(s);
  await drain();
  const md5 = h.file.metadataVersion();
  t.same(h.sent, [
    { to: [MASTER], command: `event get_blockchain ${join(h.dir, 'blockchain.new')} ${md5} 0`, wait: false },
  ]);
  t.same(h.sync.status(), {
    running: true,
    settings: s,
    detail: `Sync every 30 seconds with master using: ${MASTER}`,
    calls: 1,
    loads: 0,
    syncOk: 1,
    syncErr: 0,
    lastUpdateMs: undefined,
  });
  t.equal(h.clock.pending, 1, 'the next cycle is scheduled');
  await h.clock.advance(29_999);
  t.equal(h.sent.length, 1, 'nothing before the period ends');
  await h.clock.advance(1);
  t.equal(h.sent.length, 2, 'the second request at 30 s');
  await h.clock.advance(30_000);
  t.equal(h.sent.length, 3, 'the schedule goes on');
  t.equal(h.sync.status().calls, 3);
  t.equal(h.sync.status().syncOk, 3);
  await h.sync.stop();
  t.equal(h.sync.status().running, false);
  t.equal(h.clock.pending, 0, 'stop cancels the timer');
  await h.clock.advance(120_000);
  t.equal(h.sent.length, 3, 'no request after stop');
});

t.test('trace asks for 2; a destination path with spaces travels as one word', async (t) => {
  const h = harness(t, { dirs: { blockchain_dir: '/var/my ledger' } });
  await h.sync.start(settings(MASTER, { trace: true }));
  await drain();
  t.equal(
    h.sent[0]?.command,
    `event get_blockchain /var/my\tledger/blockchain.new ${h.file.metadataVersion()} 2`,
  );
});

t.test('without a blockchain directory the request names blockchain.new', async (t) => {
  const h = harness(t, { dirs: { blockchain_dir: undefined as unknown as string } });
  await h.sync.start(settings(MASTER));
  await drain();
  t.match(h.sent[0]?.command ?? '', /^event get_blockchain blockchain\.new /);
});

t.test('a failed request is counted and reported with its status text', async (t) => {
  for (const [kind, code, expected] of [
    ['unreachable', 0, STATUS.PEER_REFUSED],
    ['error', STATUS.PULL_FAILED, STATUS.PULL_FAILED],
    ['timeout', 0, STATUS.PEER_REFUSED],
  ] as const) {
    const h = harness(t);
    h.replies = [reply('text', 0, ''), reply(kind, code)];
    await h.sync.start(settings(MASTER));
    await drain();
    const st = h.sync.status();
    t.equal(st.syncErr, 1, `${kind} counts as an error`);
    t.equal(st.syncOk, 0);
    t.equal(st.calls, 1);
    t.equal(st.detail, `Failed to connect to master using: ${MASTER}`);
    t.same(h.console, [
      `Synchronizer process failed to connect to Master using ${MASTER} with error: '${statusText(expected)}'`,
    ]);
    // the next good cycle restores the detail
    h.replies = [reply('text', 0, '')];
    await h.sync.runOnce();
    t.equal(h.sync.status().detail, `Sync every 30 seconds with master using: ${MASTER}`);
    t.equal(h.sync.status().syncOk, 1);
  }
});

t.test('text and json replies are not failures', async (t) => {
  const h = harness(t);
  h.replies = [reply('text', 0, ''), reply('json', 0, '{}')];
  await h.sync.start(settings(MASTER));
  await drain();
  t.equal(h.sync.status().syncErr, 0);
  t.equal(h.sync.status().syncOk, 1);
  t.same(h.console, []);
});

t.test('runOnce during a running cycle joins it instead of starting another', async (t) => {
  const h = harness(t);
  let open = (): void => undefined;
  h.gate = new Promise<void>((r) => (open = r));
  await h.sync.start(settings(MASTER));
  await drain();
  t.equal(
    h.sync.status().detail,
    `Sync every 30 seconds with master using: ${MASTER}`,
    'the detail is set at start, before the first reply',
  );
  const second = h.sync.runOnce();
  await drain();
  t.equal(h.sent.length, 1, 'one request in flight');
  open();
  await second;
  t.equal(h.sync.status().calls, 1);
  h.gate = undefined;
  await h.sync.runOnce();
  t.equal(h.sent.length, 2, 'a new cycle once the first ended');
  t.equal(h.sync.status().calls, 2);
});

t.test('stop waits for the running cycle', async (t) => {
  const h = harness(t);
  let open = (): void => undefined;
  h.gate = new Promise<void>((r) => (open = r));
  await h.sync.start(settings(MASTER));
  await drain();
  let stopped = false;
  const stopping = h.sync.stop().then(() => (stopped = true));
  await drain();
  t.equal(stopped, false, 'still waiting for the cycle');
  open();
  await stopping;
  t.equal(h.sync.status().syncOk, 1, 'the cycle finished before stop returned');
});

t.test('a master installs its own table before start returns, then only changes', async (t) => {
  const h = harness(t);
  await h.store.createTable();
  await h.store.insert(policyRow('a'));
  await h.store.insert(policyRow('b'));
  await h.sync.start(settings(SELF));
  // no drain: the first self-sync cycle completes inside start()
  t.same(h.lines(), [
    '{"operator": {"name": "a", "id": "id-a"}}',
    '{"operator": {"name": "b", "id": "id-b"}}',
  ]);
  t.same(h.sent, [], 'nothing sent over the network');
  let st = h.sync.status();
  t.equal(st.loads, 1);
  t.equal(st.lastUpdateMs, h.clock.now());
  t.equal(st.calls, 1);
  t.equal(st.syncOk, 1);
  t.equal(h.dumps, 1);

  await h.clock.advance(30_000);
  st = h.sync.status();
  t.equal(st.calls, 2, 'the period also applies to a master');
  t.equal(st.loads, 1, 'an unchanged table is not installed again');
  t.equal(h.dumps, 1, 'and is checked without a dump');

  await h.store.insert(policyRow('c'));
  await h.clock.advance(30_000);
  st = h.sync.status();
  t.equal(st.loads, 2, 'an appended row is installed');
  t.equal(st.lastUpdateMs, h.clock.now());
  t.equal(h.dumps, 1, 'as a tail, without a dump');
  t.equal(h.lines().length, 3);
  t.equal(h.lines()[2], '{"operator": {"name": "c", "id": "id-c"}}');
});

t.test('a master whose table lost a row installs a full dump again', async (t) => {
  const h = harness(t);
  await h.store.createTable();
  await h.store.insert(policyRow('a'));
  await h.store.insert(policyRow('b'));
  await h.sync.start(settings(SELF));
  t.equal(h.lines().length, 2);
  await h.store.deleteById('id-a');
  await h.sync.runOnce();
  t.same(h.lines(), ['{"operator": {"name": "b", "id": "id-b"}}']);
  t.equal(h.dumps, 2, 'a second full dump');
  t.equal(h.sync.status().loads, 2);
});

t.test('a master whose file already holds the table installs nothing, then follows appends', async (t) => {
  const h = harness(t);
  await h.store.createTable();
  await h.store.insert(policyRow('a'));
  await h.file.append('{"operator": {"name": "a", "id": "id-a"}}');
  await h.sync.start(settings(SELF));
  t.equal(h.sync.status().loads, 0, 'same md5: no install');
  t.equal(h.dumps, 1);
  await h.store.insert(policyRow('b'));
  await h.sync.runOnce();
  t.equal(h.dumps, 1, 'the file mark was kept: the append is a tail install');
  t.equal(h.sync.status().loads, 1);
  t.equal(h.lines().length, 2);
});

t.test('a master with an empty table succeeds; without a table the cycle fails', async (t) => {
  const h = harness(t);
  await h.store.createTable();
  await h.sync.start(settings(SELF));
  t.equal(h.sync.status().syncOk, 1, 'an empty ledger is not an error');
  t.equal(h.sync.status().syncErr, 0);
  t.equal(h.sync.status().loads, 0);

  const g = harness(t);
  await g.sync.start(settings(SELF));
  t.equal(g.sync.status().syncErr, 1, 'no ledger table');
  t.same(g.console, [
    `Synchronizer process failed to connect to Master using ${SELF} with error: '${statusText(STATUS.PULL_FAILED)}'`,
  ]);
});

t.test('a restart forgets the incremental state and dumps again', async (t) => {
  const h = harness(t);
  await h.store.createTable();
  await h.store.insert(policyRow('a'));
  await h.sync.start(settings(SELF));
  await h.sync.stop();
  await h.sync.start(settings(SELF));
  t.equal(h.dumps, 2);
});

t.test('a received file is installed, counted, then deleted', async (t) => {
  const h = harness(t);
  await h.sync.start(settings(MASTER));
  await drain();
  const received = join(h.dir, 'blockchain.new');
  writeFileSync(received, '{"operator": {"name": "a", "id": "id-a"}}\n');
  await h.sync.installFile(received);
  t.equal(existsSync(received), false, 'the received file is removed');
  t.same(h.lines(), ['{"operator": {"name": "a", "id": "id-a"}}']);
  t.equal(h.sync.status().loads, 1);
  t.equal(h.sync.status().lastUpdateMs, h.clock.now());
  await drain();
  t.equal(h.sent.length, 1, 'no new request after an install nothing was discarded for');

  writeFileSync(received, 'not a policy\n');
  await h.sync.installFile(received);
  t.equal(existsSync(received), false, 'removed also when nothing was installed');
  t.equal(h.sync.status().loads, 1, 'nothing counted');
  t.same(h.lines(), ['{"operator": {"name": "a", "id": "id-a"}}']);

  await t.rejects(h.sync.installFile(join(h.dir, 'missing.new')), 'a missing file is an error');
});

t.test('a copy received during an install is discarded and the master asked again at once', async (t) => {
  const h = harness(t);
  await h.sync.start(settings(MASTER));
  await drain();
  t.equal(h.sent.length, 1);
  let release = (): void => undefined;
  const held = h.sync.installLock.run(() => new Promise<void>((r) => (release = r)));
  t.equal(await h.sync.install('{"operator": {"name": "a", "id": "id-a"}}\n'), false, 'discarded');
  t.same(h.lines(), []);
  release();
  await held;
  t.equal(await h.sync.install('{"operator": {"name": "b", "id": "id-b"}}\n'), true);
  await drain();
  t.equal(h.sent.length, 2, 'a new request right after the install');
  t.equal(await h.sync.install('{"operator": {"name": "c", "id": "id-c"}}\n'), true);
  await drain();
  t.equal(h.sent.length, 2, 'only once per discarded copy');
});

t.test('a cycle while an install holds the lock is skipped', async (t) => {
  const h = harness(t);
  await h.sync.start(settings(MASTER));
  await drain();
  let release = (): void => undefined;
  const held = h.sync.installLock.run(() => new Promise<void>((r) => (release = r)));
  await h.sync.runOnce();
  t.equal(h.sync.status().calls, 1, 'not counted as a call');
  t.equal(h.sent.length, 1);
  release();
  await held;
});

t.test('after the ledger database is reconnected the master installs the new table in full', async (t) => {
  const h = harness(t);
  await h.store.createTable();
  await h.store.insert(policyRow('a'));
  await h.sync.start(settings(SELF));
  const other = new SqliteLedgerStore({ logicalName: 'blockchain', location: ':memory:' });
  t.teardown(() => other.close());
  await other.createTable();
  await other.insert(policyRow('x'));
  await other.insert(policyRow('y'));
  h.current = other;
  await h.sync.runOnce();
  t.same(h.lines(), [
    '{"operator": {"name": "x", "id": "id-x"}}',
    '{"operator": {"name": "y", "id": "id-y"}}',
  ]);
  t.equal(h.sync.status().loads, 2);
});

t.test('a tail the file cannot take in place is installed from a full dump', async (t) => {
  const h = harness(t);
  await h.store.createTable();
  await h.store.insert(policyRow('a'));
  await h.sync.start(settings(SELF));
  // a local deletion in the file's tail makes the tail install decline
  await h.file.append('{"deleted": {"name": "gone", "id": "id-gone", "ledger": "local"}}');
  await h.store.insert(policyRow('b'));
  await h.sync.runOnce();
  t.equal(h.sync.status().syncErr, 0);
  t.equal(h.dumps, 2, 'a full dump after the declined tail');
  t.same(h.lines(), [
    '{"operator": {"name": "a", "id": "id-a"}}',
    '{"operator": {"name": "b", "id": "id-b"}}',
  ]);
});

t.test('after stop a discarded copy does not make the node ask again', async (t) => {
  const h = harness(t);
  await h.sync.start(settings(MASTER));
  await drain();
  let release = (): void => undefined;
  const held = h.sync.installLock.run(() => new Promise<void>((r) => (release = r)));
  t.equal(await h.sync.install('{"operator": {"name": "a", "id": "id-a"}}\n'), false);
  await h.sync.stop();
  release();
  await held;
  t.equal(await h.sync.install('{"operator": {"name": "b", "id": "id-b"}}\n'), true);
  await drain();
  t.equal(h.sent.length, 1, 'no request after stop');
});

t.test('with dest dbms a received copy is also written to the local ledger table', async (t) => {
  const h = harness(t);
  await h.store.createTable();
  await h.sync.start(settings(MASTER, { dest: ['file', 'dbms'] }));
  await drain();
  t.equal(await h.sync.install('{"operator": {"name": "a", "id": "id-a"}}\n'), true);
  t.same(
    (await h.store.dumpRows()).map((r) => r.policy),
    ['{"operator": {"name": "a", "id": "id-a"}}'],
  );
  const g = harness(t);
  await g.store.createTable();
  await g.sync.start(settings(MASTER));
  await drain();
  await g.sync.install('{"operator": {"name": "a", "id": "id-a"}}\n');
  t.same(await g.store.dumpRows(), [], 'file only: the table is left alone');
});
