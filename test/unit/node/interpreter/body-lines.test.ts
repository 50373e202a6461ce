// POST body lines as one stream: the one-line `if … then` state
// reaches later `do` / `else` lines and brace blocks span lines, through the REST command flow and the real
// interpreter. Each request is its own stream; a block left open or a stray `}` fails before any line runs.
import t from 'tap';
import { runRestCommand } from '../../../../src/node/rest/command-flow.js';
import { Mutex } from '../../../../src/common/mutex.js';
import { Interpreter } from '../../../../src/node/interpreter/index.js';
import type { CommandResult } from '../../../../src/node/ports/command.js';
import type { NodeServices } from '../../../../src/node/ports/runtime.js';
import { MapDictionary } from '../../../../src/node/dictionary.js';
import { realClock } from '../../../../src/common/clock.js';
import { silentLogger } from '../../../../src/common/logger.js';

interface BodyNode {
  readonly node: NodeServices;
  readonly dict: MapDictionary;
  post(body: string, command?: string): Promise<CommandResult>;
}

function createBodyNode(): BodyNode {
  const interpreter = new Interpreter([]);
  const dict = new MapDictionary();
  const env = new Map<string, string>();
  const node = {
    version: '0.0.0-test',
    dict,
    env: { get: (n: string) => env.get(n), set: (n: string, v: string) => env.set(n, v) },
    clock: realClock,
    logger: silentLogger(),
  } as unknown as NodeServices;
  Object.assign(node, {
    execute: (text: string, ctx: Parameters<NodeServices['execute']>[1]) =>
      interpreter.execute(text, ctx, node),
  });
  const deps = { node, bodyLock: new Mutex(), timeoutSeconds: () => 5 };
  return {
    node,
    dict,
    post: (body, command = 'print done') =>
      runRestCommand(deps, { command, headers: {}, body, clientIp: '127.0.0.1' }),
  };
}

t.test('one-line if state carries to do / else lines of the same body', async (t) => {
  const n = createBodyNode();
  const r = await n.post(
    ['x = 5', 'if !x == 5 then a = then-ran', 'do b = do-ran', 'else c = else-ran', 'd = after'].join('\n'),
    'print !b',
  );
  t.same(r, { code: 0, text: 'do-ran' }, 'the header command sees the body');
  t.equal(n.dict.get('a'), 'then-ran');
  t.equal(n.dict.get('b'), 'do-ran', '`do` runs: the previous line’s if was true');
  t.equal(n.dict.get('c'), undefined, '`else` skipped');
  t.equal(n.dict.get('d'), 'after');

  const f = await n.post(
    ['if !x == 6 then a = no', 'do b2 = no', 'else c2 = else-ran', 'else if !x > 4 then e = chained'].join(
      '\n',
    ),
  );
  t.equal(f.code, 0);
  t.same([n.dict.get('b2'), n.dict.get('c2'), n.dict.get('e')], [undefined, 'else-ran', 'chained']);
});

t.test('each request is its own stream', async (t) => {
  const n = createBodyNode();
  t.equal((await n.post('if 1 == 2 then a = 1')).code, 0);
  t.equal((await n.post('else leaked = yes')).code, 0, 'a lone else is skipped, not an error');
  t.equal(n.dict.get('leaked'), undefined, 'the previous request’s if does not reach this one');
  t.equal((await n.post('', 'do leaked = yes')).code, 0);
  t.equal(n.dict.get('leaked'), undefined);
});

t.test('brace blocks span body lines: if / else if / else, nesting', async (t) => {
  const n = createBodyNode();
  const body = [
    'x = 5',
    'if !x == 6 {',
    '  branch = six',
    '} else if (!x == 5) {',
    '  branch = five',
    '  if !x > 1 {',
    '    inner = yes',
    '  } else {',
    '    inner = no',
    '  }',
    '  if !x > 10 {',
    '    big = yes',
    '    if !nothing.bad.condition {',
    '    }',
    '  }',
    '} else {',
    '  branch = other',
    '}',
    'after = !branch',
  ].join('\n');
  const r = await n.post(body, 'print !after');
  t.same(r, { code: 0, text: 'five' });
  t.same([n.dict.get('inner'), n.dict.get('big')], ['yes', undefined]);

  const skipped = await n.post(['if 1 == 2 {', '  this is not a command', '}', 'ran = yes'].join('\n'));
  t.equal(skipped.code, 0, 'lines of a branch that does not run are not executed');
  t.equal(n.dict.get('ran'), 'yes');

  const oneLine = await n.post(
    ['flag = true', 'if !flag is true {', 'if 1 == 1 then one = 1', '}', 'do two = 2'].join('\n'),
  );
  t.equal(oneLine.code, 0);
  t.same([n.dict.get('one'), n.dict.get('two')], ['1', '2'], 'one-line state works inside blocks');
});

t.test('brace blocks leave the one-line if state alone; a CLI session is a stream too', async (t) => {
  const n = createBodyNode();
  const r = await n.post(
    ['if 1 == 2 then a = 1', 'if 1 == 1 {', '  inside = yes', '}', 'else b = 2'].join('\n'),
  );
  t.equal(r.code, 0);
  t.same([n.dict.get('inside'), n.dict.get('b')], ['yes', '2'], '`else` still sees the false one-line if');

  const interpreter = new Interpreter([]);
  const session = interpreter.newSession();
  const ctx = { source: 'cli' as const, assigned: false, console: () => undefined };
  const lines = ['if 1 == 2 {', 'x = wrong', '} else {', 'x = right', '}'];
  for (const line of lines)
    t.equal((await interpreter.execute(line, { ...ctx }, n.node, session)).code, 0, line);
  t.equal(n.dict.get('x'), 'right', 'an explicit session carries blocks across contexts');
});

t.test('block structure errors fail the request before any line runs', async (t) => {
  const n = createBodyNode();
  const open = await n.post(['early = yes', 'if 1 == 1 {', 'inside = yes'].join('\n'), 'hdr = yes');
  t.equal(open.code, 2);
  t.match(open.detail, /^Error with command #2 in the message body: 'if 1 == 1 \{'/);
  const stray = await n.post(['early = yes', '}'].join('\n'), 'hdr = yes');
  t.equal(stray.code, 2);
  t.match(stray.detail, /^Error with command #2 in the message body: '\}'/);
  t.same([n.dict.get('early'), n.dict.get('inside'), n.dict.get('hdr')], [undefined, undefined, undefined]);
  const cond = await n.post(['if (!x == {', 'a = 1', '}'].join('\n'));
  t.equal(cond.code, 181, 'a brace condition that does not parse is 181 at its line');
  t.match(cond.detail, /^Error with command #1 in the message body/);
});
