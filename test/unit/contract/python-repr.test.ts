// Python repr corners a policy id depends on: the three constants, and the non-printable code points at the
// edges of the \x, \u and \U escape widths.
import t from 'tap';
import { pythonRepr, reprString } from '../../../src/contract/python-repr.js';
import { parseOrderedJson } from '../../../src/contract/ordered-json.js';

t.test('null, true and false are None, True and False', async (t) => {
  t.equal(pythonRepr(null), 'None');
  t.equal(pythonRepr(true), 'True');
  t.equal(pythonRepr(false), 'False');
  t.equal(pythonRepr(parseOrderedJson('{"a": [false, null, true]}')), "{'a': [False, None, True]}");
});

t.test('non-printable characters take the narrowest escape that holds them', async (t) => {
  t.equal(reprString('\u0000\u007f\u00ad'), "'\\x00\\x7f\\xad'", 'up to U+00FF: \\xhh');
  t.equal(reprString('\u00ff'), "'\u00ff'", 'U+00FF is printable');
  t.equal(reprString('\u0100\u2028\uffff'), "'Ā\\u2028\\uffff'", 'up to U+FFFF: \\uhhhh');
  t.equal(reprString('\u{10000}'), "'\u{10000}'", 'U+10000 is printable');
  t.equal(reprString('\u{e0001}'), "'\\U000e0001'", 'beyond: \\Uhhhhhhhh');
});
