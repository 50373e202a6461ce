// Two or more fake nodes on different loopback addresses (127.0.0.x) with running TCP servers, for
// peer-protocol tests; plus raw helpers to send frames and to catch reply messages.
import { connect, createServer, type Server } from 'node:net';
import type { Test } from 'tap';
import { createFakeNode, type FakeNode, type FakeNodeOptions } from './fake-node.js';
import { freePort } from './ports.js';
import { FrameSplitter, MessageAssembler, type Message } from '../../src/node/tcp/assembler.js';

export interface Peer {
  readonly fake: FakeNode;
  readonly ip: string;
  readonly port: number;
  readonly address: string;
}

export async function startPeer(
  t: Test,
  ip: string,
  opts: FakeNodeOptions = {},
  start = true,
): Promise<Peer> {
  const port = await freePort(ip);
  const fake = createFakeNode({ ...opts, ip });
  if (start) {
    await fake.node.tcp.start({
      internalIp: ip,
      externalIp: ip,
      internalPort: port,
      externalPort: port,
      bind: true,
      threads: 6,
    });
  }
  t.teardown(() => fake.node.tcp.stop());
  return { fake, ip, port, address: `${ip}:${port}` };
}

/** Poll until cond() holds or the deadline passes (bounded). */
/** Starts the TCP server of a peer made with `start = false`, on its own address, with `threads` workers. */
export async function startTcp(peer: Peer, threads: number): Promise<void> {
  await peer.fake.node.tcp.start({
    internalIp: peer.ip,
    externalIp: peer.ip,
    internalPort: peer.port,
    externalPort: peer.port,
    bind: true,
    threads,
  });
}

export async function eventually(cond: () => boolean, ms = 3000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return cond();
}

/** Write raw bytes to ip:port, then close; resolves when the socket closed. */
export function sendRaw(ip: string, port: number, bytes: Buffer, end = true): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: ip, port }, () => {
      s.write(bytes);
      if (end) s.end();
    });
    s.on('error', reject);
    s.on('close', () => resolve());
    s.resume();
  });
}

/** A raw TCP listener that decodes every message it receives (to observe replies). */
export async function replyCatcher(t: Test, ip: string): Promise<{ port: number; messages: Message[] }> {
  const messages: Message[] = [];
  const server: Server = createServer((socket) => {
    const splitter = new FrameSplitter();
    const assembler = new MessageAssembler();
    const parts: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => {
      for (const raw of splitter.push(chunk)) {
        const f = assembler.accept(raw);
        parts.push(Buffer.from(f.data));
        if (assembler.complete) {
          const first = assembler.first!;
          messages.push({
            header: { ...first, error: f.header.error },
            command: f.command.toString('utf8'),
            data: Buffer.concat(parts),
            frames: assembler.frames,
          });
        }
      }
    });
    socket.on('error', () => undefined);
  });
  const port = await freePort(ip);
  await new Promise<void>((r) => server.listen(port, ip, () => r()));
  t.teardown(() => new Promise<void>((r) => server.close(() => r())));
  return { port, messages };
}
