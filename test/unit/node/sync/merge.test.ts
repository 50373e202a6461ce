// Pure parts of sync: merging a received ledger with local-only policies (docs/design/node-runtime.md §9.4) and master copy names (§9.3).
import t from 'tap';
import { planMerge } from '../../../../src/node/sync/install.js';
import { masterCopyName } from '../../../../src/node/sync/serve.js';
import { parseLedgerText } from '../../../../src/node/ledger/policy-line.js';

const g1 = '{"master": {"name": "m", "id": "g1", "date": "2026-01-01T00:00:00.000000Z", "ledger": "global"}}';
const l1 = '{"query": {"name": "q", "id": "l1", "date": "2026-01-01T00:00:01.000000Z", "ledger": "local"}}';
const l2 = '{"query": {"name": "r", "id": "l2", "date": "2026-01-01T00:00:02.000000Z", "ledger": "local"}}';
const del = '{"deleted": {"id": "g1", "date": "2026-01-01T00:00:03.000000Z", "ledger": "local"}}';

t.test('local policies missing from the received ledger are appended as global and pushed', async (t) => {
  const current = parseLedgerText(`${g1}\n${l1}\n${l2}\n`).policies;
  const received = `${g1}\n${l1.replace('"local"', '"global"')}\n`;
  const plan = planMerge(received, current);
  if (plan === undefined) throw new Error('no plan');
  t.same(plan.pushes, [l2.replace('"local"', '"global"')]);
  t.equal(plan.content, `${received}${l2.replace('"local"', '"global"')}\n`);
  t.same(plan.drops, []);
});

t.test('a local deleted policy removes its id and asks the master to drop it', async (t) => {
  const current = parseLedgerText(`${g1}\n${del}\n`).policies;
  const plan = planMerge(`${g1}\n${l1}\n`, current);
  t.same(plan?.drops, ['g1']);
  t.equal(plan?.content, `${l1}\n`);
});

t.test('a received text without valid policies is not installed', async (t) => {
  t.equal(planMerge('garbage\n\n{"a": 1, "b": {}}\n', []), undefined);
  t.equal(planMerge('', []), undefined);
});

t.test('master copy names', async (t) => {
  t.equal(masterCopyName('/x/blockchain/blockchain.new', 8), '/x/blockchain/blockchain.master_id_8.new');
  t.equal(masterCopyName('/x/blockchain/blockchain', 1), '/x/blockchain/blockchain.master_id_1');
  t.equal(masterCopyName('/x.d/file', 2), '/x.d/file.master_id_2');
});
