// TCP server lifecycle and connection handling: start refuses a second start and a busy port, stop
// closes open connections, the threads setting limits concurrent commands, a handled message closes
// its connection, resets and clean closes log nothing alarming, IPv4-mapped peers are seen as IPv4,
// and self-addressed messages run in-process.
import t from 'tap';
import { connect } from 'node:net';
import { TcpServer } from '../../../../src/node/tcp/server.js';
import { encodeMessage } from '../../../../src/node/tcp/codec.js';
import { STATUS } from '../../../../src/contract/status-codes.js';
import type { ExecContext } from '../../../../src/node/ports/command.js';
import { startPeer, startTcp, sendRaw, eventually } from '../../../helpers/tcp-peers.js';
import { freePort } from '../../../helpers/ports.js';
import { captureLogger } from '../../../helpers/capture-logger.js';

const WAIT: ExecContext = { source: 'rest', assigned: true, console: () => undefined };

function within<T>(ms: number, p: Promise<T>): Promise<T | 'late'> {
  return Promise.race([p, new Promise<'late'>((r) => setTimeout(() => r('late'), ms).unref())]);
}

function request(sourceIp: string, command: string): Buffer {
  return Buffer.concat(encodeMessage({ infoType: 6, sourceIp, sourcePort: 0 }, command, Buffer.alloc(0)));
}

t.test('a second start and a busy port are refused with a listen error', async (t) => {
  const a = await startPeer(t, '127.0.0.2');
  t.ok(a.fake.node.tcp instanceof TcpServer);
  const address = {
    internalIp: a.ip,
    externalIp: a.ip,
    internalPort: a.port,
    externalPort: a.port,
    bind: true,
    threads: 6,
  };
  await t.rejects(a.fake.node.tcp.start(address), {
    status: STATUS.NETWORK_ERROR,
    message: /already running/,
  });
  const b = await startPeer(t, '127.0.0.3', {}, false);
  await t.rejects(b.fake.node.tcp.start({ ...address, internalIp: '127.0.0.2' }), {
    status: STATUS.NETWORK_ERROR,
    message: /EADDRINUSE/,
  });
  t.equal(b.fake.node.tcp.info(), undefined, 'not running after a failed start');
});

t.test('stop closes connections that are still open', async (t) => {
  const a = await startPeer(t, '127.0.0.2');
  const open = connect({ host: a.ip, port: a.port });
  open.on('error', () => undefined);
  const closed = new Promise<void>((r) => open.on('close', () => r()));
  await new Promise<void>((r) => open.once('connect', () => r()));
  await eventually(() => false, 100); // let the server accept it
  t.not(await within(3000, a.fake.node.tcp.stop()), 'late', 'stop finished');
  t.not(await within(3000, closed), 'late', 'the open connection was closed');
});

t.test('the threads setting limits how many commands run at once', async (t) => {
  const a = await startPeer(t, '127.0.0.2');
  const b = await startPeer(t, '127.0.0.3', {}, false);
  await startTcp(b, 1);
  const [r1, r2] = await Promise.all([
    a.fake.node.execute(`run client (${b.address}) get slow 200`, WAIT),
    a.fake.node.execute(`run client (${b.address}) get slow 200`, WAIT),
  ]);
  t.equal(r1.text, `\r\n[From Node ${b.address}] slow done`);
  t.equal(r2.text, r1.text);
  t.equal(b.fake.slowPeak, 1, 'threads = 1 runs them one after the other, never both at once');
});

t.test('once a message is handled the server closes the connection, and logs nothing about it', async (t) => {
  const { logger, lines } = captureLogger();
  const b = await startPeer(t, '127.0.0.3', { logger });
  // the sender keeps its side open: only the server can end this connection
  const done = sendRaw(b.ip, b.port, request('127.0.0.2', 'get status'), false);
  t.not(await within(3000, done), 'late', 'closed by the server');
  t.equal(b.fake.executed.length, 1);
  await eventually(() => false, 100);
  t.same(lines, [], 'a clean exchange logs nothing');
});

t.test('a connection reset by the peer does not bring the server down', async (t) => {
  const b = await startPeer(t, '127.0.0.3');
  const s = connect({ host: b.ip, port: b.port });
  s.on('error', () => undefined);
  await new Promise<void>((r) => s.once('connect', () => r()));
  s.write(request('127.0.0.2', 'get status').subarray(0, 100));
  await eventually(() => false, 100);
  s.resetAndDestroy();
  await eventually(() => false, 200);
  await sendRaw(b.ip, b.port, request('127.0.0.2', 'get status'));
  t.ok(await eventually(() => b.fake.executed.length === 1), 'still serving');
});

t.test('an invalid frame is reported once, as a wrong header', async (t) => {
  const { logger, lines } = captureLogger();
  const b = await startPeer(t, '127.0.0.3', { logger });
  const garbage = Buffer.alloc(2048);
  for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 7919) & 255;
  await sendRaw(b.ip, b.port, garbage);
  await eventually(() => false, 200);
  const messages = lines.map((l) => l.msg);
  t.equal(messages.filter((m) => m === 'Wrong header structure').length, 1);
  t.notOk(messages.includes('TCP connection closed before a complete frame'), 'the close adds nothing');
});

t.test('an IPv4 peer reaching a dual-stack listener is seen by its IPv4 address', async (t) => {
  const b = await startPeer(t, '127.0.0.3', {}, false);
  const port = await freePort('127.0.0.1');
  // bound to '::', the listener takes IPv4 connections as ::ffff:-mapped addresses
  await b.fake.node.tcp.start({
    internalIp: '::',
    externalIp: '127.0.0.3',
    internalPort: port,
    externalPort: port,
    bind: true,
    threads: 6,
  });
  await sendRaw('127.0.0.1', port, request('0.0.0.0', 'get status'));
  t.ok(await eventually(() => b.fake.executed.length === 1));
  t.equal(b.fake.executed[0]!.peer, '127.0.0.1:0');
});

t.test('a waiting command sent to this node itself runs in-process and returns its reply', async (t) => {
  const a = await startPeer(t, '127.0.0.2');
  const replies = await a.fake.node.peers.sendCommand([a.address], 'get status', {
    wait: true,
    timeoutMs: 5000,
  });
  t.equal(replies[0]!.kind, 'text');
  t.not(replies[0]!.text, '');
  t.equal(a.fake.executed.length, 1);
});
