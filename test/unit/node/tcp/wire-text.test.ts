// Receiving side of the wire form of commands: which TABs separate words, which become spaces of one
// quoted word, and which text passes through untouched (JSON and bracketed values, text without TABs).
import t from 'tap';
import { fromWireText } from '../../../../src/node/tcp/wire-text.js';

t.test('text without a TAB passes through byte for byte', async (t) => {
  t.equal(fromWireText('get  status'), 'get  status');
});

t.test('TABs split the key words; runs of TABs and spaces leave no empty words', async (t) => {
  t.equal(fromWireText('blockchain push\t\tignore  x\ty'), 'blockchain push ignore x y');
});

t.test('after the key words a TAB word becomes one quoted word', async (t) => {
  t.equal(fromWireText('run client\tx  get\tstatus now\tplease'), 'run client x get status "now please"');
  t.equal(
    fromWireText('a\tb c d e\t"f"'),
    'a b c d e "f"',
    'a word that already has quotes is not quoted again',
  );
  t.equal(fromWireText('a\tb c d e'), 'a b c d e', 'a word without a TAB is not quoted');
});

t.test('spaces and TABs inside braces and brackets stay inside one word', async (t) => {
  t.equal(
    fromWireText('blockchain push\tignore {"x": "b\tc"} c\td'),
    'blockchain push ignore {"x": "b\tc"} "c d"',
  );
  t.equal(
    fromWireText('blockchain push\tignore [1, "b\tc"] c\td'),
    'blockchain push ignore [1, "b\tc"] "c d"',
  );
  t.equal(fromWireText('a\tb {"x": [1, {"y": 2}]} c d\te'), 'a b {"x": [1, {"y": 2}]} c "d e"', 'nested');
});

t.test('a closing brace without an opening one does not join later words', async (t) => {
  t.equal(fromWireText('blockchain push\tignore x} c\td'), 'blockchain push ignore x} "c d"');
  t.equal(fromWireText('blockchain push\tignore x] c\td'), 'blockchain push ignore x] "c d"');
});
