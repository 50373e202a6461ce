// The REST command flow against a scripted node: how the `destination` header is
// rewritten, which line of a body fails and with which code, what the `assignment` header stores, which
// commands run as assigned, and that a request without body lines does not wait for the body lock.
import t from 'tap';
import {
  runRestCommand,
  destinationCommand,
  type CommandRequest,
} from '../../../../src/node/rest/command-flow.js';
import { Mutex } from '../../../../src/common/mutex.js';
import type { CommandResult, ExecContext } from '../../../../src/node/ports/command.js';
import type { NodeServices } from '../../../../src/node/ports/runtime.js';
import { MapDictionary } from '../../../../src/node/dictionary.js';
import { realClock } from '../../../../src/common/clock.js';
import { silentLogger } from '../../../../src/common/logger.js';
import { STATUS } from '../../../../src/contract/status-codes.js';

interface Seen {
  readonly text: string;
  readonly assigned: boolean;
}

/** A node whose commands answer from `results` (by exact text; success with the text echoed otherwise). */
function scriptedNode(results: Record<string, CommandResult> = {}) {
  const dict = new MapDictionary();
  const seen: Seen[] = [];
  const node = {
    dict,
    clock: realClock,
    logger: silentLogger(),
    execute: (text: string, ctx: ExecContext): Promise<CommandResult> => {
      seen.push({ text, assigned: ctx.assigned });
      return Promise.resolve(results[text] ?? { code: STATUS.SUCCESS, text });
    },
  } as unknown as NodeServices;
  const bodyLock = new Mutex();
  const deps = { node, bodyLock, timeoutSeconds: () => 7 };
  const run = (command: string, headers: Record<string, string> = {}, body?: string) => {
    const req: CommandRequest = { command, headers, body, clientIp: '127.0.0.1' };
    return runRestCommand(deps, req);
  };
  return { dict, seen, bodyLock, run };
}

t.test('destination: outer parentheses are removed, inner ones kept', async (t) => {
  t.equal(
    destinationCommand('get status', { destination: '(10.0.0.1:32048, 10.0.0.2:32048)' }, 20),
    'run client (10.0.0.1:32048, 10.0.0.2:32048, timeout = 20) get status',
  );
  t.equal(
    destinationCommand('get status', { destination: '(blockchain get (operator, query) bring.ip_port)' }, 20),
    'run client (blockchain get (operator, query) bring.ip_port, timeout = 20) get status',
  );
});

t.test('a forwarded command runs as assigned (it waits for the replies); a local one does not', async (t) => {
  const { seen, run } = scriptedNode();
  await run('get status');
  await run('get status', { destination: 'local' });
  await run('get status', { destination: '10.0.0.1:32048' });
  t.same(seen, [
    { text: 'get status', assigned: false },
    { text: 'get status', assigned: false },
    { text: 'run client (10.0.0.1:32048, timeout = 7) get status', assigned: true },
  ]);
});

t.test('body lines: an open `[` fails its own line with 11', async (t) => {
  const { dict, seen, run } = scriptedNode();
  const r = await run('print done', {}, 'a = 1\nb = [1,\n 2]');
  t.same(r, {
    code: STATUS.MISSING_BRACKETS,
    detail: "Error with command #2 in the message body: 'b = [1,'",
  });
  t.same(
    seen.map((s) => s.text),
    ['a = 1'],
    'the open line and the lines after it do not run',
  );
  t.equal(dict.get('b'), undefined);
});

t.test('body lines: a `<` block left open fails after the lines before it ran', async (t) => {
  const { seen, run } = scriptedNode();
  const r = await run('print done', {}, 'a = 1\nb = 2\n<c = 3\nd = 4');
  t.same(r, {
    code: STATUS.COMMAND_STRUCTURE,
    detail: "Error with command #3 in the message body: 'Missing '>' to close the '<' block'",
  });
  t.same(
    seen.map((s) => s.text),
    ['a = 1', 'b = 2'],
    'the header command does not run',
  );
});

t.test('assignment header', async (t) => {
  const { dict, run } = scriptedNode({
    'get nothing': { code: STATUS.SUCCESS },
    'get none': { code: STATUS.SUCCESS, text: '', noValue: true },
    'get broken': { code: STATUS.COMMAND_STRUCTURE, detail: 'broken' },
  });
  t.same(await run('get one', { assignment: 'v' }), { code: STATUS.SUCCESS }, 'answered without text');
  t.equal(dict.get('v'), 'get one');
  t.same(await run('get nothing', { assignment: 'v' }), { code: STATUS.SUCCESS });
  t.equal(dict.get('v'), '', 'a result without text stores an empty value');
  dict.set('w', 'old');
  t.same(await run('get none', { assignment: 'w' }), { code: STATUS.SUCCESS });
  t.notOk(dict.has('w'), 'a result without a value removes the variable');
  dict.set('x', 'old');
  t.same(await run('get broken', { assignment: 'x' }), { code: STATUS.COMMAND_STRUCTURE, detail: 'broken' });
  t.equal(dict.get('x'), 'old', 'a failed command assigns nothing and its error is the answer');
  t.same(await run('get two', { assignment: '' }), { code: STATUS.SUCCESS, text: 'get two' });
  t.notOk(dict.has(''), 'an empty assignment header is no assignment');
});

t.test('a request without body lines does not wait for the body lock', async (t) => {
  const { bodyLock, run } = scriptedNode();
  let release: () => void = () => undefined;
  const held = bodyLock.run(() => new Promise<void>((r) => (release = r)));
  // A referenced timer, cleared once the race is decided: while the request waits on the lock nothing
  // else keeps the event loop alive, and an unreferenced timer would let the test process exit first.
  const within = async <T>(p: Promise<T>, ms: number): Promise<T | 'waiting'> => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'waiting'>((r) => (timer = setTimeout(() => r('waiting'), ms)));
    try {
      return await Promise.race([p, late]);
    } finally {
      clearTimeout(timer);
    }
  };
  for (const body of [undefined, '', ' \n \n']) {
    const answer = await within(run('print x', {}, body), 5000);
    t.same(answer, { code: STATUS.SUCCESS, text: 'print x' }, `body ${JSON.stringify(body)}`);
  }
  const withLines = run('print y', {}, 'a = 1');
  t.equal(await within(withLines, 50), 'waiting', 'a body with lines waits for the lock');
  release();
  await held;
  t.same(await withLines, { code: STATUS.SUCCESS, text: 'print y' });
});
