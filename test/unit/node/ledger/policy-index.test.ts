// The attribute index gives the same `blockchain get` answers as a plain scan of the file (random
// policies with strings, numbers, lists, `*` and mixed case), also after appends.
import t from 'tap';
import { PolicyIndex } from '../../../../src/node/ledger/policy-index.js';
import { parsePolicyLine } from '../../../../src/node/ledger/policy-line.js';
import { runBlockchainGet, type PolicySource } from '../../../../src/node/blockchain-query/index.js';
import type { FilePolicy } from '../../../../src/node/ports/ledger.js';

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1103515245 + 12345) >>> 0;
    return s / 0x100000000;
  };
}

const NAMES = ['a', 'A', 'b', '*', 'B', '10', 'c d'];

function randomLine(rnd: () => number, i: number): string {
  const pick = (): string => NAMES[Math.floor(rnd() * NAMES.length)] ?? 'a';
  const type = rnd() < 0.5 ? 'operator' : 'query';
  const r = rnd();
  const name =
    r < 0.6
      ? JSON.stringify(pick())
      : r < 0.75
        ? '10'
        : r < 0.9
          ? `[${JSON.stringify(pick())}, "x"]`
          : 'true';
  return `{"${type}": {"name": ${name}, "id": "id${i}"}}`;
}

class Scan implements PolicySource {
  constructor(private readonly list: FilePolicy[]) {}
  policies(): readonly FilePolicy[] {
    return this.list;
  }
  byType(type: string): readonly FilePolicy[] {
    return this.list.filter((p) => p.type === type);
  }
  candidates(type: string): readonly FilePolicy[] {
    return this.byType(type);
  }
}

t.test('indexed answers equal scanned answers', async (t) => {
  const rnd = prng(7);
  const index = new PolicyIndex();
  const list: FilePolicy[] = [];
  const check = (): void => {
    const scan = new Scan(list);
    for (const value of [...NAMES, 'x', 'true', 'nope']) {
      for (const type of ['operator', 'query', '(operator, query)']) {
        const words = [type, 'where', 'name', '=', value, 'bring', '[*][id]', 'separator', '=', ','];
        const a = runBlockchainGet(words, index, { externalIp: '', internalIp: '' });
        const b = runBlockchainGet(words, scan, { externalIp: '', internalIp: '' });
        t.same(a, b, words.join(' '));
      }
    }
  };
  for (let i = 0; i < 300; i++) {
    const p = parsePolicyLine(randomLine(rnd, i), i);
    if (p === undefined) throw new Error('bad line');
    index.add(p);
    list.push(p);
    if (i === 100) check();
  }
  check();
});
