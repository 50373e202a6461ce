// Which commands a peer may run over TCP (0), which it is refused as known commands (212) or as unknown
// ones (1), and how an allowed command is executed: with the peer's origin, not as an assignment, and an
// unexpected throw turned into code 3 instead of escaping to the connection.
import t from 'tap';
import { peerPermission, executeFromPeer } from '../../../../src/node/tcp/dispatch.js';
import type { NodeServices } from '../../../../src/node/ports/runtime.js';
import type { CommandResult, ExecContext, PeerOrigin } from '../../../../src/node/ports/command.js';
import { STATUS } from '../../../../src/contract/status-codes.js';

const KNOWN = [
  'set',
  'run',
  'schedule',
  'task',
  'create',
  'exit',
  'print',
  'echo',
  'process',
  'wait',
  'if',
  'do',
  'else',
  'goto',
  'call',
  'return',
  'end',
  'on',
  'blockchain',
  'connect',
  'disconnect',
  'info',
  'file',
  'trace',
  'sql',
  'help',
  'reset',
  'job',
  'system',
  'python',
  'config',
  'id',
  'test',
  'rest',
  'stop',
  'drop',
];

t.test('the allowed commands are run for a peer', async (t) => {
  for (const text of [
    'get status',
    'event metadata_ping',
    'blockchain get operator',
    'blockchain read',
    'blockchain push {"a":{}}',
    'info table dbms t columns',
    'blockchain drop policy {"a":{}}',
  ]) {
    t.equal(peerPermission(text), STATUS.SUCCESS, text);
  }
});

t.test('words are split on runs of blanks and tabs after trimming', async (t) => {
  t.equal(peerPermission('  blockchain \t  get  operator'), STATUS.SUCCESS);
  t.equal(peerPermission('blockchain\tdrop\t\tpolicy'), STATUS.SUCCESS);
});

t.test('every other command this node knows is refused with 212', async (t) => {
  for (const first of KNOWN) t.equal(peerPermission(`${first} x y`), STATUS.UNAUTHORIZED, first);
  t.equal(peerPermission('blockchain drop x'), STATUS.UNAUTHORIZED, 'drop of something else than a policy');
  t.equal(peerPermission('blockchain insert policy'), STATUS.UNAUTHORIZED, 'only drop policy');
  t.equal(peerPermission('blockchain'), STATUS.UNAUTHORIZED, 'a lone first word');
  t.equal(peerPermission('info'), STATUS.UNAUTHORIZED);
});

t.test('unknown commands are refused with 1', async (t) => {
  t.equal(peerPermission('frobnicate drop policy'), STATUS.UNRECOGNIZED_COMMAND);
  t.equal(peerPermission('x drop policy'), STATUS.UNRECOGNIZED_COMMAND);
  t.equal(peerPermission(''), STATUS.UNRECOGNIZED_COMMAND);
});

interface Fake {
  readonly node: NodeServices;
  readonly calls: { text: string; ctx: ExecContext }[];
  readonly logged: unknown[][];
}

function fakeNode(run: (text: string) => Promise<CommandResult>): Fake {
  const calls: { text: string; ctx: ExecContext }[] = [];
  const logged: unknown[][] = [];
  const node = {
    execute: async (text: string, ctx: ExecContext) => {
      calls.push({ text, ctx });
      return run(text);
    },
    logger: { error: (...args: unknown[]) => logged.push(args) },
  } as unknown as NodeServices;
  return { node, calls, logged };
}

const ORIGIN: PeerOrigin = {
  ip: '127.0.0.2',
  port: 32048,
  socketIp: '127.0.0.2',
  jobLocation: 0,
  jobId: 1,
  receiverId: 0,
  receivers: 1,
};

t.test('a refused command is answered with its code and never executed', async (t) => {
  const f = fakeNode(async () => ({ code: STATUS.SUCCESS, text: 'ran' }));
  t.same(await executeFromPeer(f.node, 'set x = 1', ORIGIN), { code: STATUS.UNAUTHORIZED });
  t.same(await executeFromPeer(f.node, 'nonsense', ORIGIN), { code: STATUS.UNRECOGNIZED_COMMAND });
  t.equal(f.calls.length, 0);
});

t.test('an allowed command runs as a TCP command of the peer, not as an assignment', async (t) => {
  const f = fakeNode(async () => ({ code: STATUS.SUCCESS, text: '[]' }));
  t.same(await executeFromPeer(f.node, 'blockchain get operator', ORIGIN), {
    code: STATUS.SUCCESS,
    text: '[]',
  });
  t.equal(f.calls.length, 1);
  const [call] = f.calls;
  t.equal(call?.text, 'blockchain get operator');
  t.equal(call?.ctx.source, 'tcp');
  t.equal(call?.ctx.assigned, false, 'not assigned: an empty `blockchain get` answers []');
  t.same(call?.ctx.peer, ORIGIN);
});

t.test('a command that throws is answered with 3 and logged', async (t) => {
  const f = fakeNode(async () => {
    throw new Error('boom');
  });
  t.same(await executeFromPeer(f.node, 'get status', ORIGIN), {
    code: STATUS.PROCESS_FAILURE,
    detail: 'Internal error',
  });
  t.equal(f.logged.length, 1);
});
