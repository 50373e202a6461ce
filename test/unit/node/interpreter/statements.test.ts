// Statements through the real interpreter (assignments, one-line control, dispatch): command results stored by `x = <command>`, `$A` never executed, joined and concatenated values,
// JSON kept unexpanded, `x = if …`, `set`, environment variables, printing, and dispatch errors 1 and 2.
import t from 'tap';
import { Interpreter } from '../../../../src/node/interpreter/index.js';
import { fail, ok, type CommandDef, type ExecContext } from '../../../../src/node/ports/command.js';
import type { NodeServices } from '../../../../src/node/ports/runtime.js';
import { MapDictionary } from '../../../../src/node/dictionary.js';
import { realClock } from '../../../../src/common/clock.js';
import { silentLogger } from '../../../../src/common/logger.js';
import { STATUS } from '../../../../src/contract/status-codes.js';

const calls: string[] = [];
const getThing: CommandDef = {
  key: 'get thing',
  run: (inv, ctx) => {
    calls.push(inv.text);
    return Promise.resolve(ok(`thing ${inv.words.slice(2).join('|')}${ctx.assigned ? ' (assigned)' : ''}`));
  },
};
const failNow: CommandDef = {
  key: 'fail now',
  run: () => Promise.resolve(fail(STATUS.BLOCKCHAIN_FAILED, 'nope')),
};

function setup(): {
  dict: MapDictionary;
  env: Map<string, string>;
  run: (text: string) => ReturnType<Interpreter['execute']>;
} {
  const interpreter = new Interpreter([getThing, failNow]);
  const dict = new MapDictionary();
  const env = new Map<string, string>();
  const node = {
    dict,
    env: { get: (n: string) => env.get(n), set: (n: string, v: string) => env.set(n, v) },
    clock: realClock,
    logger: silentLogger(),
  } as unknown as NodeServices;
  const ctx = (): ExecContext => ({ source: 'script', assigned: false, console: () => undefined });
  return { dict, env, run: (text) => interpreter.execute(text, ctx(), node) };
}

t.test('assignments', async (t) => {
  const { dict, env, run } = setup();
  const cases: [string, string, string][] = [
    ['a = get thing one two', 'a', 'thing one|two (assigned)'],
    ['b = hello', 'b', 'hello'],
    ['c = !b', 'c', 'hello'],
    ['blockchain_sync = 30 seconds', 'blockchain_sync', '30 seconds'],
    ['d = !b + - + world', 'd', 'hello-world'],
    ['e = "quoted text"', 'e', 'quoted text'],
    ['f = {"k": !b, "n": [1, 2]}', 'f', '{"k": !b, "n": [1, 2]}'],
    ['g = if !b == hello', 'g', 'True'],
    ['h = if !b == other', 'h', 'False'],
    ['set i = value', 'i', 'value'],
    ['j = ', 'j', ''],
    ['k = print hi there', 'k', 'hi there'],
    ['dir = /tmp/x', 'dir', '/tmp/x'],
    ['path = !dir/file.json', 'path', '/tmp/x/file.json'],
  ];
  for (const [text, name, value] of cases) {
    const r = await run(text);
    t.equal(r.code, 0, `${text} → ${r.code} ${r.detail ?? ''}`);
    t.equal(dict.get(name), value, text);
  }
  env.set('A', 'get thing secret');
  calls.length = 0;
  await run('x = $A');
  t.equal(dict.get('x'), 'get thing secret', '`x = $A` stores the value');
  t.same(calls, [], 'and never executes it');
  t.equal((await run('$NEW_VAR = abc')).code, 0);
  t.equal(env.get('NEW_VAR'), 'abc', '$NAME = value sets the environment');
  t.equal((await run('set $OTHER = xyz')).code, 0);
  t.equal(env.get('OTHER'), 'xyz');
  const failed = await run('y = fail now');
  t.same([failed.code, dict.has('y')], [30, false], "the line's status is the command's; nothing stored");
  t.same(await run('!b'), { code: STATUS.SUCCESS, text: 'hello' }, '`!name` alone prints the value');
});

t.test('one-line if / print / dispatch errors', async (t) => {
  const { dict, run } = setup();
  dict.set('empty', '');
  t.same(await run('if !empty then print yes'), { code: STATUS.SUCCESS }, 'an empty value is false');
  t.same(await run('if !nothing'), { code: STATUS.SUCCESS, text: 'False' }, '`if <cond>` alone prints False');
  t.same(await run('if not !empty'), { code: STATUS.SUCCESS, text: 'True' });
  t.equal((await run('if !a == then print x')).code, 181, 'a condition that does not parse → 181');
  t.same(
    await run("print 'hello world'"),
    { code: STATUS.SUCCESS, text: 'hello world' },
    'outer single quotes removed',
  );
  t.same(await run('echo a   b'), { code: STATUS.SUCCESS, text: 'a b' }, 'words joined by one space');
  const unknown = await run('frobnicate the thing');
  t.same([unknown.code, unknown.detail], [1, "Unknown command: 'frobnicate the thing'"]);
  t.equal((await run('get nothing-here')).code, 2, 'a known first word without a matching key → 2');
  t.equal((await run('goto somewhere')).code, 2, 'script-only statements outside a script → 2');
  t.same(await run('end script'), { code: STATUS.SUCCESS }, 'end script outside a script is accepted');
});
