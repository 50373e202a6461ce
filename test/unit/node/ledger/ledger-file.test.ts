// The local ledger file: appends are one line (no rewrite), the md5 metadata version follows the bytes,
// malformed lines are skipped, removals and installs rewrite, and lookups at 100,000 policies go through
// the indexes (their speed is measured by npm run bench:node);
// an incremental install replaces only the tail after a mark (same file, md5 and indexes kept right).
import t, { type Test } from 'tap';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLedgerFile } from '../../../../src/node/ledger/index.js';
import { parseLedgerText, parsePolicyLine } from '../../../../src/node/ledger/policy-line.js';
import { runBlockchainGet } from '../../../../src/node/blockchain-query/index.js';
import type { PolicySource } from '../../../../src/node/blockchain-query/evaluate.js';
import type { NodeServices } from '../../../../src/node/ports/runtime.js';
import { silentLogger } from '../../../../src/common/logger.js';

function setup(t: Test): { path: string; node: NodeServices; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-file-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'blockchain.json');
  const node = {
    dirs: { blockchain_file: path, blockchain_dir: dir },
    logger: silentLogger(),
  } as unknown as NodeServices;
  return { path, node, dir };
}

const md5 = (s: string): string => createHash('md5').update(s).digest('hex');
const line = (type: string, name: string, id: string): string =>
  `{"${type}": {"name": "${name}", "company": "Acme", "port": 1, "id": "${id}", "date": "2026-01-01T00:00:00.000000Z"}}`;

t.test('missing file is an empty ledger with version 0; appends create it', async (t) => {
  const { path, node } = setup(t);
  const file = createLedgerFile(node);
  t.equal(file.metadataVersion(), '0');
  t.same(file.policies(), []);
  await file.append(line('a', 'x', 'id1'));
  await file.append(line('b', 'y', 'id2'));
  const text = readFileSync(path, 'utf8');
  t.equal(text, `${line('a', 'x', 'id1')}\n${line('b', 'y', 'id2')}\n`);
  t.equal(file.metadataVersion(), md5(text), 'running md5 equals the md5 of the bytes');
  t.ok(file.hasId('id2'));
  t.notOk(file.hasId('id3'));
  t.equal(file.byId('id1')?.type, 'a');
  t.equal(file.byType('b').length, 1);
});

t.test('appendNew refuses an id in the file or still being appended', async (t) => {
  const { path, node } = setup(t);
  const file = createLedgerFile(node);
  await file.append(line('a', 'x', 'id1'));
  t.equal(await file.appendNew('id1', line('a', 'x2', 'id1')), false, 'id already in the file');
  const [first, second] = await Promise.all([
    file.appendNew('id2', line('a', 'y', 'id2')),
    file.appendNew('id2', line('a', 'y2', 'id2')),
  ]);
  t.same([first, second], [true, false], 'the second insert of an id in flight is a duplicate');
  t.equal(readFileSync(path, 'utf8'), `${line('a', 'x', 'id1')}\n${line('a', 'y', 'id2')}\n`);
  t.equal(await file.appendNew('id2', line('a', 'y3', 'id2')), false, 'and stays one once written');
});

t.test('malformed lines are skipped; a file without trailing newline is appended correctly', async (t) => {
  const { path, node } = setup(t);
  writeFileSync(
    path,
    `${line('a', 'x', 'id1')}\nnot json\n{"a": 1, "b": {}}\n\n{'a': {}}\n${line('a', 'y', 'id2')}`,
  );
  const file = createLedgerFile(node);
  t.equal(file.policies().length, 2);
  await file.append(line('a', 'z', 'id3'));
  await file.reload();
  t.same(
    file.policies().map((p) => p.id),
    ['id1', 'id2', 'id3'],
  );
  t.equal(file.metadataVersion(), md5(readFileSync(path, 'utf8')));
});

t.test('removeIds rewrites without the ids; install keeps blockchain.old', async (t) => {
  const { path, node, dir } = setup(t);
  const file = createLedgerFile(node);
  for (let i = 0; i < 5; i++) await file.append(line('a', `n${i}`, `id${i}`));
  t.equal(await file.removeIds(['id1', 'id3', 'nope']), 2);
  t.same(
    file.policies().map((p) => p.id),
    ['id0', 'id2', 'id4'],
  );
  t.equal(file.policies()[2]?.seq, 2, 'positions renumbered');
  const before = readFileSync(path, 'utf8');
  await file.install(`${line('q', 'only', 'idq')}\n`);
  t.equal(readFileSync(join(dir, 'blockchain.old'), 'utf8'), before);
  t.same(
    file.policies().map((p) => p.id),
    ['idq'],
  );
  t.notOk(file.hasId('id0'));
  t.notOk(existsSync(`${path}.tmp`));
});

t.test('concurrent appends all land, one line each', async (t) => {
  const { path, node } = setup(t);
  const file = createLedgerFile(node);
  await Promise.all(Array.from({ length: 200 }, (_, i) => file.append(line('c', `n${i}`, `c${i}`))));
  t.equal(
    readFileSync(path, 'utf8')
      .split('\n')
      .filter((l) => l !== '').length,
    200,
  );
  t.equal(file.policies().length, 200);
  t.equal(file.metadataVersion(), md5(readFileSync(path, 'utf8')));
});

t.test('100,000 policies: indexed get finds policies and appends never rewrite the file', async (t) => {
  const { path, node } = setup(t);
  const lines: string[] = [];
  for (let i = 0; i < 100_000; i++)
    lines.push(line(i % 10 === 0 ? 'master' : 'operator', `node-${i}`, `id-${i}`));
  writeFileSync(path, `${lines.join('\n')}\n`);
  const file = createLedgerFile(node);
  t.equal(file.policies().length, 100_000);
  const ctx = { externalIp: '1.2.3.4', internalIp: '1.2.3.4' };
  // The file as the query engine sees it, counting the policies it is handed: a lookup by name that
  // scanned the type would be handed 90,000 operators, one through the index is handed its match.
  let handed = 0;
  const counted: PolicySource = {
    policies: () => count(file.policies()),
    byType: (type) => count(file.byType(type)),
    candidates: (type, key, value) => count(file.candidates(type, key, value)),
  };
  function count<T>(list: readonly T[]): readonly T[] {
    handed += list.length;
    return list;
  }
  const words = ['operator', 'where', 'name', '=', 'NODE-99999', 'bring.first', '[*][id]'];
  const first = runBlockchainGet(words, counted, ctx);
  t.ok(first.ok && first.text === 'id-99999', 'finds the policy (case-insensitive)');
  t.equal(handed, 1, 'the name index hands over the one matching policy');
  handed = 0;
  let found = 0;
  for (let i = 1; i <= 200; i++) {
    const r = runBlockchainGet(
      ['operator', 'where', 'name', '=', `node-${i * 499}`, 'bring.first', '[*][id]'],
      counted,
      ctx,
    );
    if (r.ok && r.text === `id-${i * 499}`) found++;
  }
  t.equal(found, 180, 'every operator among them found (every tenth policy is a master)');
  t.equal(handed, 180, '200 lookups are handed one policy per match, none for a name of another type');
  t.ok(file.hasId('id-99999') && !file.hasId('id-missing'), 'id check answers from the index');
  const before = statSync(path);
  for (let i = 0; i < 200; i++) await file.append(line('operator', `new-${i}`, `new-${i}`));
  const afterStat = statSync(path);
  t.equal(afterStat.ino, before.ino, 'appends write to the same file (no rewrite by rename)');
  t.ok(readFileSync(path, 'utf8').startsWith(lines.join('\n')), 'existing lines untouched');
  const after = runBlockchainGet(
    ['operator', 'where', 'name', '=', 'new-150', 'bring.first', '[*][id]'],
    file,
    ctx,
  );
  t.ok(after.ok && after.text === 'new-150', 'index maintained on append');
  t.equal(file.metadataVersion(), md5(readFileSync(path, 'utf8')));
});

t.test('rewriteTail keeps the head, replaces the tail, and keeps md5 and indexes right', async (t) => {
  const { path, node } = setup(t);
  const file = createLedgerFile(node);
  for (let i = 0; i < 3; i++) await file.append(line('g', `h${i}`, `h${i}`));
  const mark = file.mark();
  if (mark === undefined) throw new Error('no mark');
  const inode = statSync(path).ino;
  await file.append(line('local', 'tail-a', 'ta'));
  await file.append(line('local', 'tail-b', 'tb'));
  t.ok(file.byType('local').length === 2 && file.candidates('local', 'name', 'tail-a').length === 1);
  const added = ['n1', 'n2'].map((id, i) => parsePolicyLine(line('g', `new${i}`, id), 0));
  const extra = [parsePolicyLine(line('g', 'pushed', 'tb'), 0)];
  const done = await file.rewriteTail(mark, (tail, inHead) => {
    t.same(
      tail.map((p) => p.id),
      ['ta', 'tb'],
      'the plan sees the lines after the mark',
    );
    t.ok(inHead('h1') && !inHead('ta') && !inHead('zz'), 'inHead answers for the kept lines only');
    return { head: added.flatMap((p) => p ?? []), extra: extra.flatMap((p) => p ?? []), result: 'r' };
  });
  t.equal(done?.result, 'r');
  const text = readFileSync(path, 'utf8');
  const expected = [0, 1, 2].map((i) => line('g', `h${i}`, `h${i}`));
  expected.push(line('g', 'new0', 'n1'), line('g', 'new1', 'n2'), line('g', 'pushed', 'tb'));
  t.equal(text, `${expected.join('\n')}\n`, 'file = head + new lines + extra');
  t.equal(statSync(path).ino, inode, 'same file: no rewrite by rename');
  t.equal(file.metadataVersion(), md5(text));
  t.same(
    file.policies().map((p) => [p.id, p.seq]),
    [
      ['h0', 0],
      ['h1', 1],
      ['h2', 2],
      ['n1', 3],
      ['n2', 4],
      ['tb', 5],
    ],
  );
  t.notOk(file.hasId('ta'), 'replaced tail lines leave the id index');
  t.same(file.byType('local'), [], 'and the type index');
  t.same(file.candidates('local', 'name', 'tail-a'), [], 'and the attribute index');
  t.equal(file.candidates('g', 'name', 'NEW1')[0]?.id, 'n2');
  const next = done?.mark;
  t.same([next?.size, next?.bytes], [5, Buffer.byteLength(`${expected.slice(0, 5).join('\n')}\n`)]);
  t.equal(
    next?.hash.copy().digest('hex'),
    md5(`${expected.slice(0, 5).join('\n')}\n`),
    'mark hash = head md5',
  );
  await file.append(line('g', 'after', 'af'));
  t.equal(file.metadataVersion(), md5(readFileSync(path, 'utf8')), 'appends continue the running md5');
  await file.reload();
  t.equal(await file.rewriteTail(mark, () => ({ head: [], extra: [], result: 1 })), undefined, 'stale mark');
  t.equal(file.policies().length, 7, 'a stale mark changes nothing');
});

t.test('rewrite plans from the current policies and returns a mark after the head', async (t) => {
  const { path, node, dir } = setup(t);
  const file = createLedgerFile(node);
  await file.append(line('a', 'x', 'x1'));
  const before = readFileSync(path, 'utf8');
  const head = [parsePolicyLine(line('b', 'y', 'y1'), 9)].flatMap((p) => p ?? []);
  const extra = [parsePolicyLine(line('a', 'x', 'x1'), 9)].flatMap((p) => p ?? []);
  const done = await file.rewrite((current) => {
    t.same(
      current.map((p) => p.id),
      ['x1'],
    );
    return { head, extra, result: current.length };
  });
  t.equal(done?.result, 1);
  const text = readFileSync(path, 'utf8');
  t.equal(text, `${line('b', 'y', 'y1')}\n${line('a', 'x', 'x1')}\n`);
  t.equal(readFileSync(join(dir, 'blockchain.old'), 'utf8'), before, 'previous file kept');
  t.equal(file.metadataVersion(), md5(text));
  t.equal(done?.mark.hash.copy().digest('hex'), md5(`${line('b', 'y', 'y1')}\n`));
  t.same(
    file.policies().map((p) => p.seq),
    [0, 1],
    'renumbered',
  );
  t.equal(await file.rewrite(() => undefined), undefined, 'a declined plan writes nothing');
  t.equal(readFileSync(path, 'utf8'), text);
});

t.test('query memo: the whole list is reused until the content changes', async (t) => {
  const { node } = setup(t);
  const file = createLedgerFile(node);
  const ctx = { externalIp: '1.2.3.4', internalIp: '1.2.3.4' };
  await file.append(line('m', 'a', 'm1'));
  const first = runBlockchainGet(['m'], file, ctx);
  t.equal(first.ok && first.text, `[${line('m', 'a', 'm1')}]`);
  await file.append(line('m', 'b', 'm2'));
  const second = runBlockchainGet(['m'], file, ctx);
  t.equal(second.ok && second.text, `[${line('m', 'a', 'm1')}, ${line('m', 'b', 'm2')}]`, 'append drops it');
  await file.removeIds(['m1']);
  const third = runBlockchainGet(['m'], file, ctx);
  t.equal(third.ok && third.text, `[${line('m', 'b', 'm2')}]`, 'rewrite drops it');
  const where = runBlockchainGet(['m', 'where', 'name', '=', 'B'], file, ctx);
  t.equal(where.ok && where.text, `[${line('m', 'b', 'm2')}]`, 'filtered queries are not memoized');
});

t.test('a received file holding exactly the new content is renamed into place', async (t) => {
  const { path, node, dir } = setup(t);
  const file = createLedgerFile(node);
  const install = async (name: string, text: string): Promise<void> => {
    const received = join(dir, name);
    writeFileSync(received, text);
    const inode = statSync(received).ino;
    const policies = parseLedgerText(text).policies;
    await file.rewrite(() => ({ head: policies, extra: [], result: null }), { path: received, text });
    t.equal(file.metadataVersion(), md5(readFileSync(path, 'utf8')));
    if (existsSync(received)) t.not(statSync(path).ino, inode, `${name}: written anew`);
    else t.equal(statSync(path).ino, inode, `${name}: renamed, not rewritten`);
  };
  const exact = `${line('a', 'x', 'x1')}\n${line('a', 'y', 'y1')}\n`;
  await install('exact.new', exact);
  t.equal(readFileSync(path, 'utf8'), exact);
  t.notOk(existsSync(join(dir, 'exact.new')), 'the received file became blockchain.json');
  const withBlank = `${line('a', 'x', 'x1')}\n\n${line('a', 'z', 'z1')}\n`;
  await install('blank.new', withBlank);
  t.equal(
    readFileSync(path, 'utf8'),
    `${line('a', 'x', 'x1')}\n${line('a', 'z', 'z1')}\n`,
    'empty line dropped',
  );
  t.ok(existsSync(join(dir, 'blank.new')), 'a file that is not the content stays where it was');
  await install('nonl.new', line('a', 'q', 'q1'));
  t.equal(readFileSync(path, 'utf8'), `${line('a', 'q', 'q1')}\n`, 'last newline added');
  t.same(
    file.policies().map((p) => p.id),
    ['q1'],
  );
});
