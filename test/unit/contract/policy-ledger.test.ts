// The `ledger` key of a policy given an id: kept (moved last) only when Python would call its value true,
// whether the id is computed or was already there; it never changes the id.
import t from 'tap';
import { addIdAndDate } from '../../../src/contract/policy-id.js';
import { parseOrderedJson } from '../../../src/contract/ordered-json.js';
import { jsonDumps } from '../../../src/contract/json-dumps.js';

const NOW = '2026-11-26T12:00:00.000000Z';
const FALSY = ['""', 'null', 'false', '[]', '{}'];
const TRUTHY = ['"local"', '"global"', 'true', '["a"]', '{"k": 1}'];

function withLedger(ledger: string, id = false): string {
  return `{"operator": {"name": "op1", "ledger": ${ledger}, "company": "acme"${id ? ', "id": "abc"' : ''}}}`;
}

t.test('a ledger value Python calls false is dropped; the id is the one without ledger', async (t) => {
  const bare = addIdAndDate(parseOrderedJson('{"operator": {"name": "op1", "company": "acme"}}'), NOW);
  for (const ledger of FALSY) {
    const computed = addIdAndDate(parseOrderedJson(withLedger(ledger)), NOW);
    t.equal(computed.id, bare.id, `ledger ${ledger}: same id`);
    t.notMatch(jsonDumps(computed.policy), '"ledger"', `ledger ${ledger}: dropped (computed id)`);
    const given = addIdAndDate(parseOrderedJson(withLedger(ledger, true)), NOW);
    t.equal(given.id, 'abc');
    t.notMatch(jsonDumps(given.policy), '"ledger"', `ledger ${ledger}: dropped (given id)`);
  }
});

t.test('a ledger value Python calls true is kept, moved after id and date', async (t) => {
  const bare = addIdAndDate(parseOrderedJson('{"operator": {"name": "op1", "company": "acme"}}'), NOW);
  for (const ledger of TRUTHY) {
    const computed = addIdAndDate(parseOrderedJson(withLedger(ledger)), NOW);
    t.equal(computed.id, bare.id, `ledger ${ledger}: same id`);
    t.match(jsonDumps(computed.policy), /"date": "[^"]+", "ledger": [^,]+\}\}$/, `ledger ${ledger}: last`);
    const given = addIdAndDate(parseOrderedJson(withLedger(ledger, true)), NOW);
    t.match(jsonDumps(given.policy), /"id": "abc", "date": "[^"]+", "ledger": /, `ledger ${ledger}: kept`);
  }
});
