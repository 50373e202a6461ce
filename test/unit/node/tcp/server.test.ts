// TCP server robustness: probes close silently, garbage, truncated
// and oversized frames are logged as 193 and never wedge the node, idle connections close, and the
// `file write` path rules (ledger copies while syncing, 294 otherwise).
import t from 'tap';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { encodeMessage, messageHeader, encodeFrame } from '../../../../src/node/tcp/codec.js';
import { startPeer, sendRaw, replyCatcher, eventually } from '../../../helpers/tcp-peers.js';
import type { ExecContext } from '../../../../src/node/ports/command.js';
import { captureLogger } from '../../../helpers/capture-logger.js';

const WAIT: ExecContext = { source: 'rest', assigned: true, console: () => undefined };

t.test('probes, garbage, truncated and oversized input never wedge the server', async (t) => {
  const { logger, lines } = captureLogger();
  const a = await startPeer(t, '127.0.0.2');
  const b = await startPeer(t, '127.0.0.3', { logger });
  await sendRaw(b.ip, b.port, Buffer.alloc(0));
  await sendRaw(b.ip, b.port, Buffer.from('GET / HTTP/1.1\r\n\r\n'));
  t.ok(await eventually(() => lines.length >= 2));
  t.ok(
    lines.every((l) => l.level <= 20),
    'probes log at debug only',
  );
  const garbage = Buffer.alloc(2048 * 3);
  for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 7919) & 255;
  await sendRaw(b.ip, b.port, garbage);
  const good = encodeMessage(
    { infoType: 6, sourceIp: a.ip, sourcePort: a.port },
    'get status',
    Buffer.alloc(0),
  )[0]!;
  await sendRaw(b.ip, b.port, good.subarray(0, 1000)); // truncated inside the first frame
  const twoFrames = encodeMessage(
    { infoType: 4, sourceIp: a.ip, sourcePort: a.port },
    'print',
    Buffer.alloc(3000, 65),
  );
  await sendRaw(b.ip, b.port, twoFrames[0]!); // EOF inside a message
  const oversized = encodeFrame(
    {
      ...messageHeader(
        { infoType: 6, sourceIp: a.ip, sourcePort: a.port },
        { index: 0, last: true, command: 10, data: 0 },
      ),
      dataLength: 5000,
    },
    Buffer.from('get status'),
    Buffer.alloc(0),
  );
  await sendRaw(b.ip, b.port, oversized);
  await sendRaw(b.ip, b.port, Buffer.concat([good, good])); // a frame after the last one
  t.ok(
    await eventually(() => lines.filter((l) => l.msg.startsWith('Wrong header structure')).length >= 4),
    '193 logged',
  );
  t.notOk(b.fake.executed.some((e) => e.text === 'get status' && e.peer === undefined));
  const r = await a.fake.node.execute(`run client (${b.address}) get status`, WAIT);
  t.equal(r.code, 0, 'the server still answers');
});

t.test('idle connections are closed by the idle timer, not before it', async (t) => {
  const { logger, lines } = captureLogger();
  const b = await startPeer(t, '127.0.0.3', { logger, tcp: { server: { idleTimeoutMs: 200 } } });
  // A lower bound only: the close must not come before the idle limit; a server that never closes
  // leaves this waiting until the test times out.
  const started = performance.now();
  await new Promise<void>((resolve) => {
    const s = connect({ host: b.ip, port: b.port }, () => s.write(Buffer.alloc(100)));
    s.on('close', () => resolve());
    s.on('error', () => undefined);
    s.resume();
  });
  const ms = performance.now() - started;
  t.ok(ms >= 190, `not before the idle limit (${ms.toFixed(0)} ms)`);
  t.ok(
    lines.some((l) => l.msg === 'TCP connection idle: closed'),
    'closed by the idle timer',
  );
});

t.test('frames split across many small writes are reassembled', async (t) => {
  const a = await startPeer(t, '127.0.0.2');
  const b = await startPeer(t, '127.0.0.3');
  const frame = encodeMessage(
    { infoType: 6, sourceIp: a.ip, sourcePort: a.port },
    'get status',
    Buffer.alloc(0),
  )[0]!;
  await new Promise<void>((resolve, reject) => {
    const trickle = async (): Promise<void> => {
      for (let i = 0; i < frame.length; i += 100) {
        s.write(frame.subarray(i, i + 100));
        await new Promise((r) => setTimeout(r, 2));
      }
      s.end();
    };
    const s = connect({ host: b.ip, port: b.port }, () => void trickle());
    s.on('close', () => resolve());
    s.on('error', reject);
    s.resume();
  });
  t.ok(
    await eventually(() =>
      a.fake.console.includes(`[From Node ${b.address}] master-node@${b.address} running`),
    ),
  );
});

t.test('file write: ledger copies accepted while syncing, everything else refused with 294', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'anylog-bc-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const a = await startPeer(t, '127.0.0.2');
  const b = await startPeer(t, '127.0.0.3', { dirs: { blockchain_dir: dir } });
  const catcher = await replyCatcher(t, '127.0.0.2');
  const data = Buffer.from('{"master": {"name": "m"}}\n'.repeat(300));
  await a.fake.node.peers.sendFile(b.address, join(dir, 'blockchain.master_id_3.new'), data, 2);
  t.ok(await eventually(() => b.fake.installed.length === 1));
  t.equal(b.fake.installed[0], join(dir, 'blockchain.master_id_3.new'));
  t.same(await readFile(join(dir, 'blockchain.master_id_3.new')), data, 'file content intact (multi-frame)');
  t.notOk((await readdir(dir)).some((f) => f.endsWith('.transfer')));

  await a.fake.node.peers.sendFile(b.address, join(dir, 'blockchain.new.gz'), gzipSync(data), 2);
  t.ok(await eventually(() => b.fake.installed.length === 2));
  t.equal(b.fake.installed[1], join(dir, 'blockchain.new'), '.gz transfers are un-gzipped');
  t.same(await readFile(join(dir, 'blockchain.new')), data);

  const refuse = async (path: string, generic: number): Promise<void> => {
    const frames = encodeMessage(
      { infoType: 0, genericFlag: generic, sourceIp: '127.0.0.2', sourcePort: catcher.port },
      `file write ${path}`,
      Buffer.from('x'),
      true,
    );
    const before = catcher.messages.length;
    await sendRaw(b.ip, b.port, Buffer.concat(frames));
    t.ok(await eventually(() => catcher.messages.length > before), `reply for ${path}`);
    const m = catcher.messages[catcher.messages.length - 1]!;
    t.equal(m.command, 'echo');
    t.equal(m.header.error, 294);
    t.equal(m.data.toString(), 'File operation not authorized');
  };
  await refuse('/tmp/evil.txt', 2);
  await refuse(join(dir, 'blockchain.master_id_3.new'), 1);
  await refuse(join(dir, '..', 'blockchain.new'), 2);
  await refuse(join(dir, 'other.json'), 2);
  await refuse('cmd.1.2.3.4.5.lmsg', 3); // no prep_dir configured
  b.fake.syncRunning = false;
  await refuse(join(dir, 'blockchain.new'), 2);
  t.equal(b.fake.installed.length, 2);
});
