// Table-driven checks of the id algorithm, Python repr and json.dumps against vectors/policy-ids.json.
import t from 'tap';
import {
  addIdAndDate,
  formatPolicyDate,
  policyHashString,
  policyParts,
  PolicyShapeError,
} from '../../../src/contract/policy-id.js';
import { parseOrderedJson, withoutKey } from '../../../src/contract/ordered-json.js';
import { jsonDumps } from '../../../src/contract/json-dumps.js';
import { readVectorJson } from '../../helpers/vectors.js';

interface IdCase {
  name: string;
  input: string;
  hash_string: string | null;
  id: string;
  output: string;
}
interface IdVector {
  clock: string;
  cases: IdCase[];
  errors: { input: string; code: number; why: string }[];
}

const vector = readVectorJson('policy-ids.json') as IdVector;

t.test('every case of policy-ids.json gives its hash string, id and output', async (t) => {
  t.ok(vector.cases.length >= 20);
  for (const c of vector.cases) {
    const parsed = parseOrderedJson(c.input);
    const result = addIdAndDate(parsed, vector.clock);
    t.equal(result.id, c.id, `${c.name}: id`);
    t.equal(result.hashString, c.hash_string, `${c.name}: hash string`);
    t.equal(jsonDumps(result.policy), c.output, `${c.name}: output`);
    if (c.hash_string !== null) {
      const parts = policyParts(parsed)!;
      const base = withoutKey(withoutKey(parts.inner, 'date'), 'ledger');
      t.equal(policyHashString(parts.type, base), c.hash_string, `${c.name}: policyHashString`);
    }
  }
});

t.test('every error case of policy-ids.json is 87', async (t) => {
  for (const e of vector.errors) {
    const parsed = parseOrderedJson(e.input);
    t.throws(() => addIdAndDate(parsed, vector.clock), PolicyShapeError, e.why);
    try {
      addIdAndDate(parsed, vector.clock);
    } catch (err) {
      t.equal((err as PolicyShapeError).status, e.code);
    }
  }
});

t.test('output re-parses to the same text (dumps is stable)', async (t) => {
  for (const c of vector.cases) {
    t.equal(jsonDumps(parseOrderedJson(c.output)), c.output, c.name);
  }
});

t.test('an empty, null, false or zero ledger is dropped; a non-empty one moves last', async (t) => {
  const now = '2026-11-26T12:00:00.000000Z';
  for (const ledger of ['""', 'null', 'false', '0', '0.0', '-0.0', '[]', '{}']) {
    const { policy } = addIdAndDate(
      parseOrderedJson(`{"operator": {"name": "o1", "ledger": ${ledger}}}`),
      now,
    );
    t.equal(jsonDumps(policy).includes('"ledger"'), false, `ledger ${ledger} is not kept`);
  }
  for (const ledger of ['"global"', '1', '0.5', 'true', '["a"]', '{"k": 1}']) {
    const { policy } = addIdAndDate(
      parseOrderedJson(`{"operator": {"ledger": ${ledger}, "name": "o1"}}`),
      now,
    );
    t.match(
      jsonDumps(policy),
      new RegExp(`"ledger": ${ledger.replace(/[[\]{}]/g, '\\$&')}}}$`),
      `ledger ${ledger} last`,
    );
  }
});

t.test('the shape error carries status 87 and its text', async (t) => {
  const err = new PolicyShapeError();
  t.equal(err.status, 87);
  t.equal(err.message, 'Wrong policy structure');
  t.equal(new PolicyShapeError('two keys').message, 'two keys');
});

t.test('policy dates have microseconds, padded from the millisecond clock', async (t) => {
  t.equal(formatPolicyDate(Date.UTC(2026, 10, 26, 12, 0, 5, 123)), '2026-11-26T12:00:05.123000Z');
  t.equal(formatPolicyDate(0), '1970-01-01T00:00:00.000000Z');
});
