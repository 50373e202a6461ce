// MessageSession (src/node/tcp/session.ts) with a fake node and peer client: every request frame runs its
// command until one fails, replies go back only to a listening source, a multi-frame reply is delivered
// once and whole, `file write` detection, the echo error for an oversized COMMAND_LENGTH, abort drops the
// partial file.
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import type { NodeServices } from '../../../../src/node/ports/runtime.js';
import type { ReceiveContext } from '../../../../src/node/tcp/session.js';
import { MessageSession } from '../../../../src/node/tcp/session.js';
import { encodeMessage } from '../../../../src/node/tcp/codec.js';
import { createLogger } from '../../../../src/common/logger.js';
import { STATUS } from '../../../../src/contract/status-codes.js';

interface Fake {
  ctx: ReceiveContext;
  executed: string[];
  replies: { to: string; error: number; data: string }[];
  received: { command: string; data: string }[];
}

function fake(code: number = STATUS.SUCCESS, dirs: Record<string, string> = {}, replyDelay = 0): Fake {
  const executed: string[] = [];
  const replies: Fake['replies'] = [];
  const received: Fake['received'] = [];
  const node = {
    dirs,
    logger: createLogger({ level: 'silent' }),
    sync: { status: () => ({ running: false }) },
    execute: async (text: string) => {
      executed.push(text);
      return { code, text: code === STATUS.SUCCESS ? 'done' : undefined };
    },
  } as unknown as NodeServices;
  const ctx = {
    node,
    client: {
      sendReply: async (to: string, _h: unknown, r: { error: number; data: string }) => {
        await new Promise((resolve) => setTimeout(resolve, replyDelay));
        replies.push({ to, error: r.error, data: r.data });
      },
      receiveReply: (_h: unknown, _from: string, command: string, data: string) => {
        received.push({ command, data });
      },
    },
    limiter: { run: <T>(f: () => Promise<T>) => f() },
    installLedger: async () => undefined,
  } as unknown as ReceiveContext;
  return { ctx, executed, replies, received };
}

const FROM = { infoType: 6, sourceIp: '127.0.0.9', sourcePort: 32048 };

async function deliver(session: MessageSession, frames: Buffer[]): Promise<void> {
  for (const f of frames) void session.accept(f);
  await session.settled();
}

t.test('each request frame runs its command; a failure stops the later frames', async (t) => {
  const frames = encodeMessage(FROM, 'get status', Buffer.alloc(3000, 65));
  t.equal(frames.length, 2);
  for (const [code, runs] of [
    [STATUS.SUCCESS, 2],
    [STATUS.UNRECOGNIZED_COMMAND, 2],
    [STATUS.PROCESS_FAILURE, 1],
  ] as const) {
    const f = fake(code);
    await deliver(new MessageSession(f.ctx, '127.0.0.9'), frames);
    t.equal(f.executed.length, runs, `code ${code}: ${runs} run(s)`);
  }
});

t.test('the answer goes to the source port, and nowhere when the source port is 0', async (t) => {
  const f = fake();
  await deliver(new MessageSession(f.ctx, '127.0.0.9'), encodeMessage(FROM, 'get status', Buffer.alloc(0)));
  t.same(f.replies, [{ to: '127.0.0.9:32048', error: 0, data: 'done' }]);
  const quiet = fake();
  await deliver(
    new MessageSession(quiet.ctx, '127.0.0.9'),
    encodeMessage({ ...FROM, sourcePort: 0 }, 'get status', Buffer.alloc(0)),
  );
  t.equal(quiet.executed.length, 1);
  t.same(quiet.replies, []);
});

t.test('a reply spread over frames is delivered once, whole', async (t) => {
  const f = fake();
  const text = 'x'.repeat(5000);
  await deliver(new MessageSession(f.ctx, '127.0.0.9'), encodeMessage(FROM, 'print', Buffer.from(text)));
  t.same(f.received, [{ command: 'print', data: text }]);
});

t.test('file write is recognised however it is spaced, and only as the first words', async (t) => {
  for (const command of ['file \t write cmd.a.1.lmsg', 'file write']) {
    const f = fake();
    await deliver(
      new MessageSession(f.ctx, '127.0.0.9'),
      encodeMessage({ ...FROM, genericFlag: 3 }, command, Buffer.alloc(10)),
    );
    t.same(f.executed, [], `${command}: not run as a command`);
    t.same(
      f.replies.map((r) => r.error),
      [STATUS.FILE_NOT_AUTHORIZED],
      `${command}: refused`,
    );
  }
  const f = fake();
  await deliver(
    new MessageSession(f.ctx, '127.0.0.9'),
    encodeMessage(FROM, 'get file write x', Buffer.alloc(0)),
  );
  t.same(f.executed, ['get file write x']);
});

t.test('only an oversized COMMAND_LENGTH is answered with echo 2, and settled() waits for it', async (t) => {
  const f = fake(STATUS.SUCCESS, {}, 100);
  const session = new MessageSession(f.ctx, '127.0.0.9');
  const bad = encodeMessage(FROM, 'get status', Buffer.alloc(0))[0]!;
  bad.writeUInt32BE(5, 30); // BLOCK_COUNTER 5 as the first frame
  bad.writeUInt16BE(2048 - 207, 39); // COMMAND_LENGTH filling the body exactly: not oversized
  t.throws(() => session.accept(bad));
  await session.settled();
  t.same(f.replies, [], 'a bad block counter is not answered, even with a full-body COMMAND_LENGTH');
  const frame = encodeMessage(FROM, 'get status', Buffer.alloc(0))[0]!;
  const oversized = new MessageSession(f.ctx, '127.0.0.9');
  frame.writeUInt16BE(3000, 39); // COMMAND_LENGTH beyond the frame body
  t.throws(() => oversized.accept(frame));
  await oversized.settled();
  t.same(
    f.replies.map((r) => r.error),
    [STATUS.COMMAND_STRUCTURE],
  );
});

t.test('abort drops the partial file of a transfer', async (t) => {
  const prep = mkdtempSync(join(tmpdir(), 'anylog-session-'));
  const f = fake(STATUS.SUCCESS, { prep_dir: prep });
  const session = new MessageSession(f.ctx, '127.0.0.9');
  const frames = encodeMessage(
    { ...FROM, genericFlag: 3 },
    'file write cmd.a.1.lmsg',
    Buffer.alloc(5000, 66),
    true,
  );
  void session.accept(frames[0]!);
  await session.drained();
  await session.abort();
  t.same(readdirSync(prep), []);
  t.notOk(existsSync(join(prep, 'cmd.a.1.lmsg')));
});
