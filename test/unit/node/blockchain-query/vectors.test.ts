// Every query of vectors/blockchain-get.json against its ledger file, byte for byte.
import t from 'tap';
import { runBlockchainGet } from '../../../../src/node/blockchain-query/index.js';
import { PolicyIndex } from '../../../../src/node/ledger/policy-index.js';
import { parseLedgerText } from '../../../../src/node/ledger/policy-line.js';
import { tokenize } from '../../../../src/node/interpreter/tokenizer.js';
import { readVectorJson } from '../../../helpers/vectors.js';

interface GetVector {
  ledger_file: string;
  queries: { command: string; output: string; note?: string }[];
}

const vector = readVectorJson('blockchain-get.json') as GetVector;
const ctx = { externalIp: '10.0.0.1', internalIp: '10.0.0.1' };

export function wordsOf(command: string): string[] {
  return tokenize(command).map((tok) => tok.text);
}

t.test('every blockchain-get.json query gives its output', async (t) => {
  const index = new PolicyIndex(parseLedgerText(vector.ledger_file).policies);
  t.equal(index.size, 2);
  t.ok(vector.queries.length >= 20);
  for (const q of vector.queries) {
    const words = wordsOf(q.command);
    t.same(words.slice(0, 2), ['blockchain', 'get']);
    const out = runBlockchainGet(words.slice(2), index, ctx);
    t.ok(out.ok, `${q.command} parses`);
    if (out.ok) t.equal(out.text, q.output, q.command);
  }
});
