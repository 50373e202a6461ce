// `blockchain wait` on real nodes over loopback with PostgreSQL: a node syncing from
// a master waits for a policy pushed on the master, by id, by `!policy` and by a `blockchain get` command;
// the assignment form stores true/false; 87 for a policy without id; 151 at the deadline (sync time + 15 s).
import t from 'tap';
import { startRealNode } from '../../../helpers/real-node.js';
import { runOk, startPgMaster, syncFrom, fileIds } from '../../../helpers/ledger-nodes.js';

const OP1 = '{"operator": {"name": "op1", "company": "c", "ip": "10.0.0.1", "port": 7001}}';
const OP2 = '{"operator": {"name": "op2", "company": "c", "ip": "10.0.0.2", "port": 7002}}';

t.test('a node waits for policies pushed on its master', async (t) => {
  const { master: a } = await startPgMaster(t, '127.0.0.61', 'wait-master');
  const b = await startRealNode(t, '127.0.0.62', { NODE_NAME: 'wait-node', NODE_TYPE: 'operator' });
  await syncFrom(t, b, a);

  await runOk(t, a, `blockchain push ${OP1}`);
  await runOk(t, a, 'run blockchain sync');
  await runOk(t, a, 'id = blockchain get operator where name = op1 bring.first [*][id]');
  const idValue = a.node.dict.get('id') ?? '';
  t.match(idValue, /^[0-9a-f]{32}$/, 'the master knows op1');
  t.notOk(fileIds(b).includes(idValue), 'B does not have it before waiting (sync every hour)');
  let started = Date.now();
  await runOk(t, b, `blockchain wait where id = ${idValue}`);
  t.ok(fileIds(b).includes(idValue), 'wait returns once the policy is in the local file');
  t.ok(Date.now() - started < 15_000, 'found by the triggered sync cycle, long before the deadline');

  await runOk(t, a, `blockchain push ${OP2}`);
  started = Date.now();
  await runOk(t, b, 'blockchain wait where command = "blockchain get operator where name = op2"');
  t.equal(await runOk(t, b, 'blockchain get operator where name = op2 bring [*][port]'), '7002');
  t.ok(Date.now() - started < 15_000);

  await runOk(t, b, 'p3 = {"operator": {"name": "op3", "company": "c", "ip": "10.0.0.3", "port": 7003}}');
  await runOk(t, b, 'blockchain prepare policy !p3');
  const prepared = b.node.dict.get('p3') ?? '';
  t.match(prepared, /"id": "[0-9a-f]{32}"/, 'prepared policy has an id');
  await runOk(t, a, `blockchain push ${prepared}`);
  const stored = await b.run('found = blockchain wait where policy = !p3');
  t.equal(stored.code, 0);
  t.equal(b.node.dict.get('found'), 'true', 'assignment form stores true');
  t.equal(await runOk(t, b, 'blockchain get operator where name = op3 bring.count'), '1');

  await runOk(t, b, 'np = {"operator": {"name": "noid", "company": "c"}}');
  t.equal((await b.run('blockchain wait where policy = !np')).code, 87, 'policy without id → 87');
  t.equal((await b.run('blockchain wait where name = op1')).code, 2, 'unknown key → 2');
  t.equal((await b.run('blockchain wait id = x')).code, 2, 'no where → 2');
});

t.test('a policy that never arrives: 151 (or false) at sync time + 15 s', async (t) => {
  const { master: c } = await startPgMaster(t, '127.0.0.63', 'wait-deadline', '1 second');
  await runOk(t, c, `blockchain push ${OP1}`);
  const missing = 'ffffffffffffffffffffffffffffffff';
  const started = Date.now();
  const [plain, assigned] = await Promise.all([
    c.run(`blockchain wait where id = ${missing}`),
    c.run(`gone = blockchain wait where id = ${missing}`),
  ]);
  const elapsed = Date.now() - started;
  t.equal(plain.code, 151, '151 Policy not in local file');
  t.equal(assigned.code, 0, 'the assignment form succeeds');
  t.equal(c.node.dict.get('gone'), 'false', 'and stores false');
  t.ok(elapsed >= 15_000 && elapsed < 30_000, `gave up after sync time + 15 s (${elapsed} ms)`);
  t.equal(await runOk(t, c, 'blockchain get operator bring.count'), '1', 'the node kept syncing meanwhile');
});
