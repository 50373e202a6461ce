// The problem list a failed body check returns: it ends up in the operator's error message, so it names the
// place of each problem (`/` for the body itself) and stops after five.
import t from 'tap';
import Type from 'typebox';
import { NodeStatusJson, validateBody } from '../../../src/contract/rest.js';

t.test('a problem with the body itself is placed at /', async (t) => {
  const checked = validateBody(NodeStatusJson, 'master-node@127.0.0.1:32048 running');
  t.notOk(checked.ok);
  const problems = checked.ok ? [] : checked.problems;
  t.ok(problems.length > 0);
  t.match(problems[0], /^\/: \S/);
});

t.test('a problem inside the body is placed at its path', async (t) => {
  const checked = validateBody(NodeStatusJson, { assigned_name: 'm', status: 'running', profiling: 'no' });
  t.same(checked.ok ? [] : checked.problems.map((p) => p.split(':')[0]), ['/profiling']);
});

t.test('at most five problems are listed', async (t) => {
  const Eight = Type.Object(
    Object.fromEntries(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((k) => [k, Type.String()])),
  );
  const wrong = Object.fromEntries(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((k) => [k, 1]));
  const checked = validateBody(Eight, wrong);
  t.notOk(checked.ok);
  t.equal(checked.ok ? 0 : checked.problems.length, 5);
  t.same(checked.ok ? [] : checked.problems.map((p) => p.split(':')[0]), ['/a', '/b', '/c', '/d', '/e']);
});
