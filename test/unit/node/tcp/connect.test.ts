// Outgoing delivery over loopback: address parsing, the bytes a receiver gets, and which failures
// are retried. Network errors a loopback peer cannot produce (unreachable host, timeout) are
// injected on the real client socket through node:net's `net.client.socket` diagnostics channel.
import t from 'tap';
import type { Test } from 'tap';
import { createServer, type Socket } from 'node:net';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { getEventListeners, once } from 'node:events';
import { deliverFrames, parseAddress } from '../../../../src/node/tcp/connect.js';
import { PeerError } from '../../../../src/node/tcp/errors.js';
import { freePort } from '../../../helpers/ports.js';

/** Apply `hurt` to the next client sockets, one call per socket (attempt number from 1). */
function injectOnSockets(t: Test, hurt: (socket: Socket, n: number) => void): () => number {
  let n = 0;
  const onSocket = (message: unknown): void => {
    n += 1;
    hurt((message as { socket: Socket }).socket, n);
  };
  subscribe('net.client.socket', onSocket);
  t.teardown(() => {
    unsubscribe('net.client.socket', onSocket);
  });
  return () => n;
}

function errno(code: string): Error {
  return Object.assign(new Error(code), { code });
}

/** A loopback server that collects what each connection sent until the peer half-closed. */
async function receiver(
  t: Test,
): Promise<{ port: number; received: Buffer[]; settled: () => Promise<string[]> }> {
  const received: Buffer[] = [];
  const server = createServer((s) => {
    const chunks: Buffer[] = [];
    s.on('data', (c: Buffer) => chunks.push(c));
    s.on('end', () => {
      received.push(Buffer.concat(chunks));
      s.end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.teardown(() => server.close());
  const address = server.address();
  // delivery resolves once the bytes are with the kernel; the receiver reads them a moment later
  const settled = async (): Promise<string[]> => {
    for (let i = 0; i < 100 && received.length === 0; i += 1) await new Promise((r) => setTimeout(r, 10));
    return received.map(String);
  };
  return { port: typeof address === 'object' && address !== null ? address.port : 0, received, settled };
}

const FAST = { connectTimeoutMs: 2000, attempts: 3 };

t.test('parseAddress splits at the last colon and checks the port', async (t) => {
  t.same(parseAddress('127.0.0.1:32048'), { ip: '127.0.0.1', port: 32048 });
  t.same(parseAddress(' 127.0.0.1 : 80 '), { ip: '127.0.0.1', port: 80 }, 'spaces trimmed');
  t.same(parseAddress('a:b:65535'), { ip: 'a:b', port: 65535 });
  t.same(parseAddress('h:1'), { ip: 'h', port: 1 });
  for (const bad of [
    '32048',
    ':80',
    '  :80',
    'h:0',
    'h:65536',
    'h:1e3',
    'h:0x50',
    'h:123456',
    'h:',
    'h:-1',
  ]) {
    t.equal(parseAddress(bad), undefined, bad);
  }
});

t.test('frames arrive in order, then the sender half-closes', async (t) => {
  const r = await receiver(t);
  await deliverFrames(`127.0.0.1:${r.port}`, [Buffer.from('one'), Buffer.from('two')], FAST);
  t.same(await r.settled(), ['onetwo']);
});

t.test('an unparsable destination fails with 208 without connecting', async (t) => {
  const count = injectOnSockets(t, () => undefined);
  const err = await deliverFrames('nowhere', [Buffer.from('x')], FAST).catch((e: unknown) => e);
  t.ok(err instanceof PeerError);
  t.equal((err as PeerError).status, 208);
  t.equal((err as PeerError).detail, 'Failed to create a socket using: nowhere');
  t.equal(count(), 0);
});

t.test('a refused connection fails at once with 208', async (t) => {
  const port = await freePort();
  const count = injectOnSockets(t, () => undefined);
  const err = await deliverFrames(`127.0.0.1:${port}`, [Buffer.from('x')], FAST).catch((e: unknown) => e);
  t.equal((err as PeerError).status, 208);
  t.equal((err as PeerError).detail, `Failed to create a socket using: 127.0.0.1:${port}`);
  t.equal(((err as PeerError).cause as Error).message, 'ECONNREFUSED', 'the cause names the errno');
  t.equal(count(), 1, 'one attempt');
});

for (const code of ['ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN', 'EAI_AGAIN']) {
  t.test(`${code} before connecting is retried, and the third attempt delivers`, async (t) => {
    const r = await receiver(t);
    const count = injectOnSockets(t, (socket, n) => {
      if (n < 3) process.nextTick(() => socket.destroy(errno(code)));
    });
    await deliverFrames(`127.0.0.1:${r.port}`, [Buffer.from('late')], FAST);
    t.equal(count(), 3);
    t.same(await r.settled(), ['late']);
  });
}

t.test('a retryable error gives up after the configured attempts', async (t) => {
  const r = await receiver(t);
  const count = injectOnSockets(t, (socket) => {
    process.nextTick(() => socket.destroy(errno('EHOSTUNREACH')));
  });
  const err = await deliverFrames(`127.0.0.1:${r.port}`, [Buffer.from('x')], {
    connectTimeoutMs: 2000,
    attempts: 2,
  }).catch((e: unknown) => e);
  t.equal((err as PeerError).status, 208);
  t.equal(count(), 2);
  t.same(r.received, []);
});

t.test('a connect timeout is retried', async (t) => {
  const r = await receiver(t);
  const count = injectOnSockets(t, (socket, n) => {
    if (n === 1) process.nextTick(() => socket.emit('timeout'));
  });
  await deliverFrames(`127.0.0.1:${r.port}`, [Buffer.from('x')], FAST);
  t.equal(count(), 2);
  await new Promise((resolve) => setTimeout(resolve, 300));
  t.same(await r.settled(), ['x'], 'the timed-out attempt was dropped, not delivered as a duplicate');
});

t.test('other errors are not retried', async (t) => {
  const r = await receiver(t);
  const count = injectOnSockets(t, (socket) => {
    process.nextTick(() => socket.destroy(errno('ECONNRESET')));
  });
  const err = await deliverFrames(`127.0.0.1:${r.port}`, [Buffer.from('x')], FAST).catch((e: unknown) => e);
  t.equal((err as PeerError).status, 208);
  t.equal(count(), 1);
});

t.test('an error without a code is not retried', async (t) => {
  const r = await receiver(t);
  const count = injectOnSockets(t, (socket) => {
    process.nextTick(() => socket.destroy(new Error('odd')));
  });
  const err = await deliverFrames(`127.0.0.1:${r.port}`, [Buffer.from('x')], FAST).catch((e: unknown) => e);
  t.equal(((err as PeerError).cause as Error).message, 'EUNKNOWN');
  t.equal(count(), 1);
});

t.test('a retryable error once connected is not retried (bytes may have left)', async (t) => {
  const r = await receiver(t);
  const count = injectOnSockets(t, (socket) => {
    socket.once('connect', () => socket.destroy(errno('EHOSTUNREACH')));
  });
  const err = await deliverFrames(`127.0.0.1:${r.port}`, [Buffer.from('x')], FAST).catch((e: unknown) => e);
  t.equal((err as PeerError).status, 208);
  t.equal(count(), 1);
});

t.test('an aborted delivery fails and is not retried', async (t) => {
  const r = await receiver(t);
  const ac = new AbortController();
  const count = injectOnSockets(t, (socket) => {
    socket.pause();
    process.nextTick(() => {
      ac.abort();
    });
  });
  const err = await deliverFrames(`127.0.0.1:${r.port}`, [Buffer.from('x')], {
    ...FAST,
    signal: ac.signal,
  }).catch((e: unknown) => e);
  t.equal((err as PeerError).status, 208);
  t.equal(((err as PeerError).cause as Error).message, 'EABORTED');
  t.equal(count(), 1);
  t.same(r.received, []);
});

t.test('a retryable failure on an already aborted signal is not retried', async (t) => {
  const r = await receiver(t);
  const ac = new AbortController();
  const signal = ac.signal;
  const count = injectOnSockets(t, (socket) => {
    process.nextTick(() => socket.destroy(errno('EHOSTUNREACH')));
  });
  ac.abort();
  const err = await deliverFrames(`127.0.0.1:${r.port}`, [Buffer.from('x')], { ...FAST, signal }).catch(
    (e: unknown) => e,
  );
  t.equal((err as PeerError).status, 208);
  t.equal(count(), 1);
});

t.test('after delivery the socket is closed and the abort listener removed', async (t) => {
  const r = await receiver(t);
  const sockets: Socket[] = [];
  injectOnSockets(t, (socket) => sockets.push(socket));
  const ac = new AbortController();
  await deliverFrames(`127.0.0.1:${r.port}`, [Buffer.from('x')], { ...FAST, signal: ac.signal });
  t.equal(sockets.length, 1);
  t.ok(sockets[0]?.destroyed, 'not left open until the peer closes');
  t.equal(getEventListeners(ac.signal, 'abort').length, 0, 'a long-lived signal does not collect listeners');
});

t.test('once connected, a receiver that pauses longer than the connect timeout is waited for', async (t) => {
  const chunks: Buffer[] = [];
  const server = createServer({ pauseOnConnect: true }, (s) => {
    setTimeout(() => {
      s.on('data', (c: Buffer) => chunks.push(c));
      s.resume();
    }, 800);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.teardown(() => server.close());
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const big = Buffer.alloc(32 * 1024 * 1024, 7);
  await deliverFrames(`127.0.0.1:${port}`, [big], { connectTimeoutMs: 200, attempts: 1 });
  t.pass('delivered although the receiver stalled for 800 ms');
});
