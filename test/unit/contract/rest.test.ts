// Node REST response schemas against the vectors: error bodies, `get status`, `blockchain get` arrays.
import t from 'tap';
import {
  BlockchainGetResult,
  MasterPolicyBody,
  NodeErrorBody,
  NodeStatusJson,
  validateBody,
} from '../../../src/contract/rest.js';
import { readVectorJson } from '../../helpers/vectors.js';

t.test('every anylog-node error body of rest-errors.json is a valid NodeErrorBody', async (t) => {
  const vec = readVectorJson('rest-errors.json') as {
    cases: Array<{ anylog_node?: { status: number; body?: string } }>;
  };
  let n = 0;
  for (const c of vec.cases) {
    const a = c.anylog_node;
    if (a?.body === undefined || a.status < 400) continue;
    n++;
    t.ok(validateBody(NodeErrorBody, JSON.parse(a.body)).ok, a.body);
  }
  t.ok(n >= 5);
  const bad = validateBody(NodeErrorBody, { method: 'get', node: 'x', err_code: '2', err_text: 'x' });
  t.notOk(bad.ok);
  t.match(bad.ok ? '' : bad.problems.join(), /err_code/);
});

t.test('get status JSON vector validates; a text answer does not', async (t) => {
  const vec = readVectorJson('status-outputs.json') as { outputs: Array<{ command: string; text: string }> };
  const json = vec.outputs.find((o) => o.command === 'get status where format = json');
  t.ok(json);
  t.ok(validateBody(NodeStatusJson, JSON.parse(json!.text)).ok);
  t.notOk(validateBody(NodeStatusJson, 'master-node@127.0.0.1:32048 running').ok);
});

t.test('blockchain get outputs without bring are policy arrays', async (t) => {
  const vec = readVectorJson('blockchain-get.json') as {
    queries: Array<{ command: string; output: string }>;
  };
  const plain = vec.queries.filter((q) => /^blockchain get \S+$/.test(q.command));
  t.ok(plain.length >= 2);
  for (const q of plain) t.ok(validateBody(BlockchainGetResult, JSON.parse(q.output)).ok, q.command);
  const all = JSON.parse(plain[0]!.output) as Array<Record<string, unknown>>;
  const master = all.find((p) => 'master' in p);
  t.ok(validateBody(MasterPolicyBody, master?.['master']).ok);
  t.notOk(validateBody(BlockchainGetResult, [{ a: {}, b: {} }]).ok);
  t.notOk(validateBody(BlockchainGetResult, [{ a: 'x' }]).ok);
  t.notOk(validateBody(MasterPolicyBody, { name: 'm', company: 'c', id: 'XYZ' }).ok);
});
