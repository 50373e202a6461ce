// The embedded built-in master script equals vectors/builtin-master.al minus its header comment.
import t from 'tap';
import { BUILTIN_MASTER_SCRIPT } from '../../../src/node/builtin-master.js';
import { parseProgram } from '../../../src/node/interpreter/script.js';
import { readVectorText } from '../../helpers/vectors.js';

t.test('built-in master text equals the vector without the header comment', async (t) => {
  const lines = readVectorText('builtin-master.al').split('\n');
  let i = 0;
  while (lines[i]?.startsWith('#') === true) i += 1;
  t.equal(lines[i], '', 'header is followed by a blank line');
  t.equal(BUILTIN_MASTER_SCRIPT, lines.slice(i + 1).join('\n'));
});

t.test('built-in master and seed scripts load without syntax errors', async (t) => {
  t.match(parseProgram(BUILTIN_MASTER_SCRIPT, 'builtin:master'), { ok: true });
  t.match(parseProgram(readVectorText('seed-master.al'), 'seed'), { ok: true });
});
