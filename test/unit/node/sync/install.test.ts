// The sync's install paths as production runs them, on a real ledger file in a temporary directory:
// installPolicies (a whole received dump merged with the node's local policies) and installTail (the
// self-sync of rows appended since the last dump). The master is a recorder of the messages sent to it.
import t, { type Test } from 'tap';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jsonDumps } from '../../../../src/contract/json-dumps.js';
import { parseOrderedJson } from '../../../../src/contract/ordered-json.js';
import { LocalLedgerFile } from '../../../../src/node/ledger/ledger-file.js';
import { parsePolicyLine } from '../../../../src/node/ledger/policy-line.js';
import type { FilePolicy } from '../../../../src/node/ports/ledger.js';
import type { NodeServices } from '../../../../src/node/ports/runtime.js';
import { installLedgerText, installPolicies, installTail } from '../../../../src/node/sync/install.js';
import { realClock } from '../../../../src/common/clock.js';
import { silentLogger } from '../../../../src/common/logger.js';

const OPTIONS = { connection: '10.0.0.9:32048', destDbms: false };

function policy(name: string, ledger?: 'local' | 'global', type = 'operator'): FilePolicy {
  const id = `id-${name}`;
  const tail = ledger === undefined ? '' : `, "ledger": "${ledger}"`;
  const text = `{"${type}": {"name": "${name}", "id": "${id}", "date": "2026-11-26T12:00:00.000000Z"${tail}}}`;
  const p = parsePolicyLine(jsonDumps(parseOrderedJson(text)), 0);
  if (p === undefined) throw new Error(`not a policy: ${text}`);
  return p;
}

interface Setup {
  readonly file: LocalLedgerFile;
  readonly sent: string[];
  /** Where each message went and whether it waited for a reply. */
  readonly routes: { to: readonly string[]; wait: boolean }[];
  /** Policies pushed in-process when the master is this node. */
  readonly pushed: unknown[];
  readonly node: NodeServices;
  readonly lines: () => string[];
}

function setup(t: Test, opts: { self?: boolean; store?: object } = {}): Setup {
  const dir = mkdtempSync(join(tmpdir(), 'install-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'blockchain.json');
  const sent: string[] = [];
  const routes: { to: readonly string[]; wait: boolean }[] = [];
  const pushed: unknown[] = [];
  const node = {
    dirs: { blockchain_file: path },
    logger: silentLogger(),
    clock: realClock,
    identity: { nodeName: 'n', hostname: 'h', internalIp: '10.0.0.5', externalIp: '10.0.0.5' },
    peers: {
      isOwnAddress: () => opts.self === true,
      sendCommand: (to: readonly string[], command: string, o: { wait: boolean }) => {
        sent.push(command);
        routes.push({ to, wait: o.wait });
        return Promise.resolve([]);
      },
    },
    dbms: { get: () => opts.store },
    ledger: {
      push: (value: unknown, o: unknown) => {
        pushed.push({ value, o });
        return Promise.resolve();
      },
    },
  } as unknown as NodeServices;
  const file = new LocalLedgerFile(node);
  Object.assign(node, { ledgerFile: file });
  const lines = (): string[] =>
    readFileSync(path, 'utf8')
      .split('\n')
      .filter((l) => l !== '');
  return { file, sent, routes, pushed, node, lines };
}

t.test('a whole install keeps the received dump, re-pushes local policies, marks the dump end', async (t) => {
  const s = setup(t);
  const a = policy('a');
  const b = policy('b');
  const mine = policy('mine', 'local');
  await s.file.append(mine.line);
  const out = await installPolicies(s.node, [a, b], OPTIONS);
  t.equal(out.installed, true);
  t.ok(out.mark !== undefined, 'a mark after the received policies');
  t.same(s.lines().slice(0, 2), [a.line, b.line]);
  t.equal(s.lines().length, 3, 'the local policy follows, made global');
  t.match(s.lines()[2], /"name": "mine".*"ledger": "global"/);
  t.equal(s.sent.length, 1);
  t.match(s.sent[0], /^blockchain push ignore \{"operator": \{"name": "mine"/);
});

t.test(
  'after dropping local deleted policies the install gives no mark (the next sync dumps again)',
  async (t) => {
    const s = setup(t);
    const a = policy('a');
    const gone = policy('gone', 'local', 'deleted');
    await s.file.append(gone.line);
    const out = await installPolicies(s.node, [a, policy('gone')], OPTIONS);
    t.equal(out.installed, true);
    t.equal(out.mark, undefined, 'no mark after drops');
    t.same(s.sent, ['blockchain drop policy where id = id-gone']);
    t.same(s.lines(), [a.line], 'the dropped id is not installed');
  },
);

t.test(
  'a tail install pushes only local policies neither in the old dump nor in the added rows',
  async (t) => {
    const s = setup(t);
    const a = policy('a');
    const out = await installPolicies(s.node, [a, policy('known')], OPTIONS);
    const mark = out.mark;
    if (mark === undefined) throw new Error('no mark');
    // appended locally since the dump: one the dump already holds, one the master now sends, one new
    await s.file.append(policy('known', 'local').line);
    await s.file.append(policy('arriving', 'local').line);
    await s.file.append(policy('fresh', 'local').line);
    const arriving = policy('arriving');
    const tail = await installTail(s.node, mark, [arriving], OPTIONS);
    t.ok(tail !== undefined);
    t.equal(tail?.changed, true);
    t.equal(s.sent.length, 1, 'one push');
    t.match(s.sent[0], /^blockchain push ignore \{"operator": \{"name": "fresh"/);
    t.equal(s.lines().length, 4, 'dump, added row, the new local policy made global');
    t.equal(s.lines()[2], arriving.line);
    t.match(s.lines()[3], /"name": "fresh".*"ledger": "global"/);
  },
);

t.test('a tail with a local deleted policy is declined: the caller installs the whole dump', async (t) => {
  const s = setup(t);
  const out = await installPolicies(s.node, [policy('a')], OPTIONS);
  if (out.mark === undefined) throw new Error('no mark');
  await s.file.append(policy('gone', 'local', 'deleted').line);
  t.equal(await installTail(s.node, out.mark, [], OPTIONS), undefined);
  t.same(s.sent, []);
});

t.test('received text without a valid policy is not installed and leaves the file alone', async (t) => {
  const s = setup(t);
  const a = policy('a');
  await s.file.append(a.line);
  t.equal(await installLedgerText(s.node, 'garbage\n\n{"a": 1, "b": {}}\n', OPTIONS), false);
  t.equal(await installLedgerText(s.node, '', OPTIONS), false);
  t.same(s.lines(), [a.line]);
  t.same(s.sent, []);
});

t.test(
  'policies of the file that are not local are left to the master: neither pushed nor dropped',
  async (t) => {
    const s = setup(t);
    const a = policy('a');
    await s.file.append(policy('old-global', 'global').line);
    await s.file.append(policy('unmarked').line);
    await s.file.append(policy('gone-global', 'global', 'deleted').line);
    const out = await installPolicies(s.node, [a, policy('gone-global')], OPTIONS);
    t.equal(out.installed, true);
    t.same(s.sent, [], 'nothing sent to the master');
    t.same(s.lines(), [a.line, policy('gone-global').line], 'the received dump replaces them');
    t.ok(out.mark !== undefined, 'no drops, so the dump end is marked');
  },
);

t.test('messages go to the sync connection without waiting for a reply', async (t) => {
  const s = setup(t);
  await s.file.append(policy('mine', 'local').line);
  await installPolicies(s.node, [policy('a')], OPTIONS);
  t.same(s.routes, [{ to: [OPTIONS.connection], wait: false }]);
});

t.test('a local policy the received dump already holds is not pushed again', async (t) => {
  const s = setup(t);
  await s.file.append(policy('mine', 'local').line);
  const out = await installPolicies(s.node, [policy('a'), policy('mine')], OPTIONS);
  t.equal(out.installed, true);
  t.same(s.sent, []);
  t.same(s.lines(), [policy('a').line, policy('mine').line]);
});

t.test('on the master itself local policies are pushed in-process, duplicates ignored', async (t) => {
  const s = setup(t, { self: true });
  await s.file.append(policy('mine', 'local').line);
  await installPolicies(s.node, [policy('a')], OPTIONS);
  t.same(s.sent, [], 'nothing over the network');
  t.equal(s.pushed.length, 1);
  t.match(s.pushed[0], { o: { host: '10.0.0.5', ignoreDuplicate: true } });
});

/** A ledger table that records the rows inserted into it. */
function recordingStore(): {
  insert: (row: { policy: string; host: string }) => Promise<void>;
  rows: string[][];
} {
  const rows: string[][] = [];
  return {
    rows,
    insert: (row) => {
      rows.push([row.policy, row.host]);
      return Promise.resolve();
    },
  };
}

t.test('with dest dbms the installed policies are copied to the table with the master host', async (t) => {
  const store = recordingStore();
  const s = setup(t, { store });
  await installPolicies(s.node, [policy('a'), policy('b')], { ...OPTIONS, destDbms: true });
  t.same(store.rows, [
    [policy('a').line, '10.0.0.9'],
    [policy('b').line, '10.0.0.9'],
  ]);
});

t.test('a connection without a port is the host itself', async (t) => {
  const store = recordingStore();
  const s = setup(t, { store });
  await installPolicies(s.node, [policy('a')], { connection: 'master-host', destDbms: true });
  t.same(store.rows, [[policy('a').line, 'master-host']]);
});

t.test('without dest dbms nothing is written to the table', async (t) => {
  const store = recordingStore();
  const s = setup(t, { store });
  const out = await installPolicies(s.node, [policy('a')], OPTIONS);
  if (out.mark === undefined) throw new Error('no mark');
  await installTail(s.node, out.mark, [policy('b')], OPTIONS);
  t.same(store.rows, []);
});

t.test('a tail install with dest dbms copies the added rows to the table', async (t) => {
  const store = recordingStore();
  const s = setup(t, { store });
  const out = await installPolicies(s.node, [policy('a')], OPTIONS);
  if (out.mark === undefined) throw new Error('no mark');
  await installTail(s.node, out.mark, [policy('b')], { ...OPTIONS, destDbms: true });
  t.same(store.rows, [[policy('b').line, '10.0.0.9']]);
});

t.test('a tail of policies that are not local is replaced without pushes', async (t) => {
  const s = setup(t);
  const out = await installPolicies(s.node, [policy('a')], OPTIONS);
  if (out.mark === undefined) throw new Error('no mark');
  await s.file.append(policy('other', 'global').line);
  await s.file.append(policy('gone', 'global', 'deleted').line);
  const tail = await installTail(s.node, out.mark, [policy('b')], OPTIONS);
  t.equal(tail?.changed, true);
  t.same(s.sent, []);
  t.same(s.lines(), [policy('a').line, policy('b').line]);
});

t.test('an empty tail with nothing added is not a change', async (t) => {
  const s = setup(t);
  const out = await installPolicies(s.node, [policy('a')], OPTIONS);
  if (out.mark === undefined) throw new Error('no mark');
  t.equal((await installTail(s.node, out.mark, [], OPTIONS))?.changed, false);
  const again = await installTail(s.node, out.mark, [policy('b')], OPTIONS);
  t.equal(again?.changed, true, 'added rows are a change');
  if (again === undefined) throw new Error('declined');
  await s.file.append(policy('x', 'global').line);
  t.equal((await installTail(s.node, again.mark, [], OPTIONS))?.changed, true, 'a replaced tail is a change');
});
