// Tokenizer table cases and a fuzz run: no exception escapes
// (speed belongs to the benchmarks, not to assertions that a loaded machine can break).
import t from 'tap';
import { tokenize } from '../../../../src/node/interpreter/tokenizer.js';

const cases: [string, string[]][] = [
  [
    'connect dbms blockchain where type=psql',
    ['connect', 'dbms', 'blockchain', 'where', 'type', '=', 'psql'],
  ],
  [
    'a==b c!=d e<=f g>=h i<j k>l m+n',
    [
      'a',
      '==',
      'b',
      'c',
      '!=',
      'd',
      'e',
      '<=',
      'f',
      'g',
      '>=',
      'h',
      'i',
      '<',
      'j',
      'k',
      '>',
      'l',
      'm',
      '+',
      'n',
    ],
  ],
  ['print "hello world" \'kept quotes\' `tick`', ['print', 'hello world', "'kept quotes'", '`tick`']],
  [
    'x = {"a": {"b": "c = d"}} [*][id] (1.2.3.4:5, 6)',
    ['x', '=', '{"a": {"b": "c = d"}}', '[*][id]', '(1.2.3.4:5, 6)'],
  ],
  ['blockchain get master bring.first [*][id]', ['blockchain', 'get', 'master', 'bring.first', '[*][id]']],
  ['tab\tseparated', ['tab', 'separated']],
  ['!name[1:3] !!x $HOME', ['!name[1:3]', '!!x', '$HOME']],
  ['if (a == b {', ['if', '(a == b {']],
  ['unterminated "quote here', ['unterminated', 'quote here']],
];

t.test('splits words as EdgeLake does', async (t) => {
  for (const [line, words] of cases)
    t.same(
      tokenize(line).map((w) => w.text),
      words,
      line,
    );
});

t.test('token kinds', async (t) => {
  t.same(
    tokenize('a "b" \'c\' {d} = ').map((w) => w.kind),
    ['word', 'dquoted', 'quoted', 'group', 'op'],
  );
  t.equal(tokenize('"b"')[0]?.raw, '"b"');
});

t.test('fuzz: 10,000 generated inputs, no exception', async (t) => {
  const alphabet = 'ab !$=<>+-"\'`(){}[]#:.,\t\\|0123456789 and if then';
  let seed = 12345;
  const random = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  let failures = 0;
  for (let i = 0; i < 10_000; i += 1) {
    const length = Math.floor(random() * (i % 100 === 0 ? 5000 : 200));
    let input = '';
    for (let j = 0; j < length; j += 1) input += alphabet[Math.floor(random() * alphabet.length)] ?? '';
    try {
      tokenize(input);
    } catch {
      failures += 1;
    }
  }
  t.equal(failures, 0, 'no exception escaped');
});
