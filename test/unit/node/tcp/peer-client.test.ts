// The peer client as a peer sees it: the frames each kind of send puts on the wire (job fields, large
// commands as `.lmsg` file transfers, `file write` paths), the replies and failed-peer set it keeps, the
// 135 and 208 errors it raises, and where received replies go (console, waiting job, dropped).
import t, { type Test } from 'tap';
import { createServer, type Server } from 'node:net';
import { PeerClient } from '../../../../src/node/tcp/peer-client.js';
import {
  FRAME_SIZE,
  HEADER_SIZE,
  frameCapacity,
  zeroHeader,
  type FrameHeader,
} from '../../../../src/node/tcp/codec.js';
import { STATUS, type StatusCode } from '../../../../src/contract/status-codes.js';
import { startPeer, replyCatcher, eventually } from '../../../helpers/tcp-peers.js';
import { freePort } from '../../../helpers/ports.js';
import { captureLogger } from '../../../helpers/capture-logger.js';

function listen(t: Test, ip: string, port: number): Promise<Server> {
  const server = createServer((socket) => {
    socket.resume();
    socket.on('error', () => undefined);
  });
  t.teardown(() => new Promise<void>((r) => server.close(() => r())));
  return new Promise((r) => server.listen(port, ip, () => r(server)));
}

t.test(
  'fire and forget: one entry per destination, failed peers kept until delivered or marked alive',
  async (t) => {
    const a = await startPeer(t, '127.0.0.2');
    const catcher = await replyCatcher(t, '127.0.0.4');
    const good = `127.0.0.4:${catcher.port}`;
    const closedPort = await freePort('127.0.0.5');
    const closed = `127.0.0.5:${closedPort}`;
    const client = new PeerClient(a.fake.node, { console: () => undefined });
    t.same(client.failedPeers(), []);
    const replies = await client.sendCommand([good, closed], 'get status', { wait: false });
    t.same(replies, [
      { destination: good, kind: 'text', text: '', code: STATUS.SUCCESS },
      {
        destination: closed,
        kind: 'unreachable',
        text: `Failed to create a socket using: ${closed}`,
        code: STATUS.PEER_REFUSED,
      },
    ]);
    t.same(client.failedPeers(), [closed]);
    t.ok(await eventually(() => catcher.messages.length === 1));
    const m = catcher.messages[0]!;
    t.equal(m.command, 'get status');
    t.match(m.header, { flagInfoType: 6, jobId: 0, jobLocation: 0, counterReceivers: 2, receiverId: 0 });

    client.markAlive(closed);
    t.same(client.failedPeers(), [], 'marked alive');
    await client.sendCommand([closed], 'get status', { wait: false });
    t.same(client.failedPeers(), [closed]);
    await listen(t, '127.0.0.5', closedPort);
    const again = await client.sendCommand([closed], 'get status', { wait: false });
    t.equal(again[0]!.kind, 'text');
    t.same(client.failedPeers(), [], 'a delivery clears the failure');
  },
);

t.test('waiting for replies: the peer answers, 135 without a TCP server, abort ends the wait', async (t) => {
  const a = await startPeer(t, '127.0.0.2');
  const b = await startPeer(t, '127.0.0.3');
  const replies = await a.fake.node.peers.sendCommand([b.address], 'get status', {
    wait: true,
    timeoutMs: 5000,
  });
  t.equal(replies.length, 1);
  t.equal(replies[0]!.kind, 'text');
  t.not(replies[0]!.text, '', 'the peer answered');

  const idle = await startPeer(t, '127.0.0.6', {}, false);
  const client = new PeerClient(idle.fake.node, { console: () => undefined });
  await t.rejects(client.sendCommand([b.address], 'get status', { wait: true }), {
    status: STATUS.TCP_NOT_RUNNING,
    message: /TCP server not running/,
  });

  const silent = await replyCatcher(t, '127.0.0.4');
  const controller = new AbortController();
  const started = Date.now();
  const pending = a.fake.node.peers.sendCommand([`127.0.0.4:${silent.port}`], 'get status', {
    wait: true,
    timeoutMs: 60_000,
    signal: controller.signal,
  });
  t.ok(await eventually(() => silent.messages.length === 1), 'request delivered');
  t.match(silent.messages[0]!.header, { jobId: Number, counterReceivers: 1, receiverId: 0 });
  t.not(silent.messages[0]!.header.jobId, 0, 'a waiting request carries a job id');
  controller.abort();
  const result = await pending;
  t.ok(Date.now() - started < 30_000, 'abort ended the wait');
  t.equal(result[0]!.kind, 'timeout');
});

t.test('a command that does not fit one frame goes as a numbered .lmsg file transfer', async (t) => {
  const a = await startPeer(t, '127.0.0.2');
  const catcher = await replyCatcher(t, '127.0.0.4');
  const to = `127.0.0.4:${catcher.port}`;
  const client = new PeerClient(a.fake.node, { console: () => undefined });
  const fits = 'x'.repeat(FRAME_SIZE - HEADER_SIZE - 1);
  const tooBig = 'y'.repeat(FRAME_SIZE - HEADER_SIZE);
  await client.sendCommand([to], fits, { wait: false });
  await client.sendCommand([to], tooBig, { wait: false });
  await client.sendCommand([to], tooBig, { wait: false });
  t.ok(await eventually(() => catcher.messages.length === 3));
  const [small, big1, big2] = catcher.messages;
  t.equal(small!.command, fits);
  t.equal(small!.header.flagInfoType, 6);
  const ip = a.fake.node.identity.externalIp;
  t.equal(big1!.command, `file write cmd.${ip}.1.lmsg`);
  t.equal(big2!.command, `file write cmd.${ip}.2.lmsg`);
  t.equal(big1!.data.toString('utf8'), tooBig);
  t.match(big1!.header, { flagInfoType: 0, counterReceivers: 0, parUsed: 0 });
});

t.test(
  'sendFile writes tabs for spaces, keeps the file framing rule, and raises 208 on failure',
  async (t) => {
    const a = await startPeer(t, '127.0.0.2');
    const catcher = await replyCatcher(t, '127.0.0.4');
    const client = new PeerClient(a.fake.node, { console: () => undefined });
    const command = 'file write my dir/a b.json';
    const data = Buffer.alloc(frameCapacity(Buffer.byteLength(command.replaceAll(' ', '\t'))), 66);
    await client.sendFile(`127.0.0.4:${catcher.port}`, 'my dir/a b.json', data, 2);
    t.ok(await eventually(() => catcher.messages.length === 1));
    const m = catcher.messages[0]!;
    t.equal(m.command, 'file write my\tdir/a\tb.json');
    t.equal(m.header.flagInfoType, 0);
    t.equal(m.frames, 2, 'a file that fills its frame exactly ends with an empty frame');
    t.same(m.data, data);
    const closed = `127.0.0.5:${await freePort('127.0.0.5')}`;
    await t.rejects(client.sendFile(closed, 'x.json', Buffer.from('{}'), 1), {
      status: STATUS.PEER_REFUSED,
      message: `Failed to create a socket using: ${closed}`,
    });
  },
);

t.test('replies: one frame when the data fills it exactly, a warning only when delivery fails', async (t) => {
  const { logger, lines } = captureLogger();
  const a = await startPeer(t, '127.0.0.2', { logger });
  const catcher = await replyCatcher(t, '127.0.0.4');
  const client = new PeerClient(a.fake.node, { console: () => undefined });
  const data = 'z'.repeat(frameCapacity('print'.length));
  const reply = { command: 'print', data, infoType: 4, error: STATUS.SUCCESS, generic: 1 } as const;
  await client.sendReply(`127.0.0.4:${catcher.port}`, zeroHeader(), reply);
  t.ok(await eventually(() => catcher.messages.length === 1));
  t.equal(catcher.messages[0]!.frames, 1, 'the empty closing frame is a file rule only');
  t.same(lines, [], 'a delivered reply logs nothing');
  const closed = `127.0.0.5:${await freePort('127.0.0.5')}`;
  await client.sendReply(closed, zeroHeader(), reply);
  t.ok(lines.some((l) => l.level === 40 && l.msg === 'failed to deliver a reply to a peer'));
});

t.test('messages to this node itself go to the local receiver from 127.0.0.1', async (t) => {
  const a = await startPeer(t, '127.0.0.2');
  const client = new PeerClient(a.fake.node, { console: () => undefined });
  const seen: string[] = [];
  client.setLocalReceiver(async (frames, socketIp) => {
    seen.push(`${frames.length} ${socketIp}`);
  });
  const replies = await client.sendCommand([a.address], 'get status', { wait: false });
  t.same(seen, ['1 127.0.0.1']);
  t.equal(replies[0]!.kind, 'text');
});

t.test(
  'received replies: console without a job, error/json/text kinds for a job, unknown jobs dropped',
  async (t) => {
    const { logger, lines } = captureLogger();
    const a = await startPeer(t, '127.0.0.2', { logger });
    const printed: string[] = [];
    const client = new PeerClient(a.fake.node, { console: (line) => printed.push(line) });
    client.receiveReply(zeroHeader(), '10.0.0.9:32048', 'print', 'hello');
    t.same(printed, ['[From Node 10.0.0.9:32048] hello']);

    const job = client.jobs.allocate(['p', 'q', 'r', 's'], 60_000, a.fake.node.clock);
    const header = (receiverId: number, error: StatusCode, genericFlag: number): FrameHeader => ({
      ...zeroHeader(),
      jobLocation: job.location,
      jobId: job.id,
      receiverId,
      error,
      genericFlag,
    });
    client.receiveReply(header(0, STATUS.SUCCESS, 2), 'p', 'print', '{"a":1}');
    client.receiveReply(header(1, STATUS.SUCCESS, 2), 'q', 'print', 'plain');
    client.receiveReply(header(2, STATUS.SUCCESS, 1), 'r', 'print', '{"a":1}');
    client.receiveReply(header(3, STATUS.PEER_REFUSED, 2), 's', 'print', '{"a":1}');
    await job.finished;
    t.same(
      job.results().map((r) => [r.kind, r.code]),
      [
        ['json', STATUS.SUCCESS],
        ['text', STATUS.SUCCESS],
        ['text', STATUS.SUCCESS],
        ['error', STATUS.PEER_REFUSED],
      ],
    );
    t.notOk(lines.some((l) => l.msg === 'reply for an unknown or expired job dropped'));
    client.receiveReply(header(0, STATUS.SUCCESS, 1), 'p', 'print', 'late');
    t.ok(lines.some((l) => l.level === 20 && l.msg === 'reply for an unknown or expired job dropped'));
  },
);
