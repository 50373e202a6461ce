// Seeded generators shared by the fuzz tests and npm run bench:node, so a failing input reproduces and
// the benchmark times the same inputs the tests check: damaged TCP messages for the frame decoder, and
// word lists (grammar fragments, injection-shaped values, random characters) for `blockchain get`; and
// the PRNG itself, for suites that draw seeded delays.
import { encodeMessage, FRAME_SIZE } from '../../src/node/tcp/codec.js';
import { tokenize } from '../../src/node/interpreter/tokenizer.js';

/** Deterministic PRNG (mulberry32): numbers in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `count` inputs for the frame decoder, in four kinds by turn: random bytes (up to three frames), a valid
 * two-frame message with bytes changed in its first header, the same with bytes changed anywhere, and a
 * truncated copy with bytes changed.
 */
export function* frameFuzzInputs(count: number, seed = 20261126): Generator<Buffer> {
  const rand = mulberry32(seed);
  const valid = Buffer.concat(
    encodeMessage(
      { infoType: 4, genericFlag: 1, sourceIp: '10.0.0.1', sourcePort: 32048 },
      'print',
      Buffer.alloc(4000, 0x41),
    ),
  );
  for (let i = 0; i < count; i++) {
    const mode = i % 4;
    let input: Buffer;
    if (mode === 0) {
      input = Buffer.alloc(Math.floor(rand() * 3 * FRAME_SIZE));
      for (let j = 0; j < input.length; j++) input[j] = Math.floor(rand() * 256);
    } else {
      input = Buffer.from(mode === 3 ? valid.subarray(0, Math.floor(rand() * valid.length)) : valid);
      const flips = 1 + Math.floor(rand() * 8);
      for (let j = 0; j < flips && input.length > 0; j++) {
        const at = mode === 1 ? Math.floor(rand() * 207) : Math.floor(rand() * input.length);
        if (at < input.length) input[at] = Math.floor(rand() * 256);
      }
    }
    yield input;
  }
}

/** Linear congruential generator. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 0x100000000;
  };
}

const VOCAB = [
  '*',
  'master',
  'query',
  'operator',
  '(master, query)',
  '(',
  ')',
  '()',
  'where',
  'and',
  'or',
  'not',
  'name',
  'company',
  'port',
  'ip',
  '[master][name]',
  'a[b]',
  '[*][id]',
  '[]',
  '[',
  ']',
  '[[x]]',
  '[*][name]:[*][id]',
  '=',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
  '==',
  'bring',
  'bring.first',
  'bring.last',
  'bring.json',
  'bring.count',
  'bring.unique',
  'bring.ip_port',
  'bring.table',
  'bring.null',
  'bring.sort',
  'bring.json.count',
  'bring.bogus',
  'bring.min',
  'bring.max',
  'bring.list',
  'bring.children',
  'with',
  'contains',
  '(name = master-node)',
  '["a","b"]',
  '{"name": "master-node"}',
  'bring.',
  'bring..',
  'separator',
  '\\n',
  '\\t',
  ',',
  ':',
  '"quoted text"',
  "x'); DROP TABLE ledger; --",
  "' OR '1'='1",
  '1; DELETE FROM ledger',
  '%',
  '_',
  '\\',
  '{"master": {}}',
  'NaN',
  'Infinity',
  '-1e309',
  '32048',
  '0x10',
  '  ',
  '',
  '\u0000',
  '😀',
  'é',
  'New Company',
  'master-node',
  'true',
  'false',
  'null',
];

function randomWord(rnd: () => number): string {
  if (rnd() < 0.85) return VOCAB[Math.floor(rnd() * VOCAB.length)] ?? '';
  const len = Math.floor(rnd() * 12);
  let s = '';
  for (let i = 0; i < len; i++) s += String.fromCharCode(Math.floor(rnd() * 0x3000));
  return s;
}

/** `count` word lists of up to 13 words for `blockchain get`; every third one re-tokenized from its text. */
export function* blockchainGetFuzzInputs(count: number, seed = 20261126): Generator<string[]> {
  const rnd = lcg(seed);
  for (let n = 0; n < count; n++) {
    const length = Math.floor(rnd() * 14);
    let words = Array.from({ length }, () => randomWord(rnd));
    if (n % 3 === 0) words = tokenize(words.join(' ')).map((w) => w.text);
    yield words;
  }
}
