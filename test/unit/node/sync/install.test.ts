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
  readonly node: NodeServices;
  readonly lines: () => string[];
}

function setup(t: Test): Setup {
  const dir = mkdtempSync(join(tmpdir(), 'install-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'blockchain.json');
  const sent: string[] = [];
  const node = {
    dirs: { blockchain_file: path },
    logger: silentLogger(),
    clock: realClock,
    identity: { nodeName: 'n', hostname: 'h', internalIp: '10.0.0.5', externalIp: '10.0.0.5' },
    peers: {
      isOwnAddress: () => false,
      sendCommand: (_to: readonly string[], command: string) => {
        sent.push(command);
        return Promise.resolve([]);
      },
    },
    dbms: { get: () => undefined },
  } as unknown as NodeServices;
  const file = new LocalLedgerFile(node);
  Object.assign(node, { ledgerFile: file });
  const lines = (): string[] =>
    readFileSync(path, 'utf8')
      .split('\n')
      .filter((l) => l !== '');
  return { file, sent, node, lines };
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
