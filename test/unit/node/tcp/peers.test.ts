// Peer messaging over real loopback sockets between fake nodes:
// waiting and fire-and-forget `run client`, text / JSON / multi-frame replies, refused and silent peers,
// the peer allowlist, unknown commands, metadata ping/pong, self-addressed messages, large messages.
import t from 'tap';
import type { ExecContext } from '../../../../src/node/ports/command.js';
import { startPeer, startTcp, eventually } from '../../../helpers/tcp-peers.js';
import { freePort } from '../../../helpers/ports.js';
import { watchConnectAttempts } from '../../../helpers/connect-attempts.js';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const WAIT: ExecContext = { source: 'rest', assigned: true, console: () => undefined };
const NO_WAIT: ExecContext = { source: 'script', assigned: false, console: () => undefined };

t.test('waiting run client aggregates a text reply', async (t) => {
  const a = await startPeer(t, '127.0.0.2');
  const b = await startPeer(t, '127.0.0.3');
  const r = await a.fake.node.execute(`run client (${b.address}) get status`, WAIT);
  t.same(r, { code: 0, text: `\r\n[From Node ${b.address}] master-node@${b.address} running` });
  const seen = b.fake.executed.find((e) => e.text === 'get status');
  t.equal(seen?.source, 'tcp');
  t.equal(seen?.peer, a.address, 'source ip:port of the request');
});

t.test('JSON replies, a multi-frame reply and a mix', async (t) => {
  const a = await startPeer(t, '127.0.0.2');
  const b = await startPeer(t, '127.0.0.3');
  const c = await startPeer(t, '127.0.0.4');
  const json = await a.fake.node.execute(
    `run client (${b.address}, ${c.address}) get status where format = json`,
    WAIT,
  );
  t.equal(
    json.text,
    `{"${b.address}" : {"assigned_name": "master-node@${b.address}", "status": "running", "profiling": false},` +
      `"${c.address}" : {"assigned_name": "master-node@${c.address}", "status": "running", "profiling": false}}`,
  );
  const big = await a.fake.node.execute(`run client ${b.ip} ${b.port} get processes`, WAIT);
  t.equal(big.code, 0);
  t.ok(big.text?.startsWith(`\r\n[From Node ${b.address}]\r\n`));
  t.equal(
    big.text?.length,
    `\r\n[From Node ${b.address}]\r\n`.length + 2249,
    '2249 bytes travelled in two frames',
  );
  const mixed = await a.fake.node.execute(`run client (${b.address}) get status where format = json`, WAIT);
  t.ok(mixed.text?.startsWith('{'));
});

t.test('a refused peer fails at once with 208; subset gives Not responding', async (t) => {
  // A connect timeout no test waits for: a refusal treated like silence would hang here instead of
  // answering, and a retried refusal shows as a second attempt (EdgeLake tries three times, 6 s apart).
  const a = await startPeer(t, '127.0.0.2', { tcp: { deliver: { connectTimeoutMs: 600_000 } } });
  const b = await startPeer(t, '127.0.0.3');
  const closed = await freePort('127.0.0.5');
  const attempts = watchConnectAttempts(t);
  const r = await a.fake.node.execute(`run client (127.0.0.5:${closed}) get status`, WAIT);
  t.equal(attempts('127.0.0.5', closed), 1, 'one connection attempt: a refusal is not retried');
  t.same(r, { code: 208, detail: `Failed to create a socket using: 127.0.0.5:${closed}` });
  t.same(a.fake.node.peers.failedPeers(), [`127.0.0.5:${closed}`]);
  const s = await a.fake.node.execute(
    `run client (${b.address}, 127.0.0.5:${closed}, subset = true) get status`,
    WAIT,
  );
  t.equal(
    s.text,
    `\r\n[From Node ${b.address}] master-node@${b.address} running\r\n[From Node 127.0.0.5:${closed}] Not responding`,
  );
  const ff = await a.fake.node.execute(`run client 127.0.0.5:${closed} get status`, NO_WAIT);
  t.equal(ff.code, 208, 'fire-and-forget delivery failure is reported too');
  t.equal(attempts('127.0.0.5', closed), 3, 'one attempt for each of the three messages');
});

t.test('a silent peer: 26 with No reply from, or Not responding with subset', async (t) => {
  const a = await startPeer(t, '127.0.0.2');
  const b = await startPeer(t, '127.0.0.3');
  const r = await a.fake.node.execute(`run client (${b.address}, timeout = 1) get slow 2500`, WAIT);
  t.same(r, { code: 26, detail: `No reply from: ${b.address}` });
  const s = await a.fake.node.execute(
    `run client (${b.address}, subset = true, timeout = 1) get slow 2500`,
    WAIT,
  );
  t.equal(s.text, `\r\n[From Node ${b.address}] Not responding`);
});

t.test('peer allowlist, unknown commands, empty replies', async (t) => {
  const a = await startPeer(t, '127.0.0.2');
  const b = await startPeer(t, '127.0.0.3');
  const denied = await a.fake.node.execute(`run client (${b.address}) exit node`, WAIT);
  t.equal(denied.text, `\r\n[From Node ${b.address}] Unauthorized command`);
  t.notOk(
    b.fake.executed.some((e) => e.text === 'exit node'),
    'never executed',
  );
  const unknown = await a.fake.node.execute(`run client (${b.address}) foo bar`, WAIT);
  t.equal(unknown.text, `\r\n[From Node ${b.address}] Command 'foo bar' not recognized`);
  const empty = await a.fake.node.execute(`run client (${b.address}, timeout = 3) get nothing`, WAIT);
  t.same(
    empty,
    { code: 0, text: `\r\n[From Node ${b.address}] ` },
    'an empty echo answers a waiting requester',
  );
  const ev = await a.fake.node.execute(`run client (${b.address}, timeout = 1) event frobnicate`, WAIT);
  t.same(ev, { code: 26, detail: `No reply from: ${b.address}` }, 'an unknown event is not answered');
});

t.test('fire-and-forget replies print on the console', async (t) => {
  const a = await startPeer(t, '127.0.0.2');
  const b = await startPeer(t, '127.0.0.3');
  const r = await a.fake.node.execute(`run client ${b.address} get status`, NO_WAIT);
  t.same(r, { code: 0 });
  t.ok(
    await eventually(() =>
      a.fake.console.includes(`[From Node ${b.address}] master-node@${b.address} running`),
    ),
  );
});

t.test('words with spaces travel as TABs and arrive as one word', async (t) => {
  const a = await startPeer(t, '127.0.0.2');
  const b = await startPeer(t, '127.0.0.3');
  const r = await a.fake.node.execute(`run client (${b.address}) get len "a b c"`, WAIT);
  t.equal(r.text, `\r\n[From Node ${b.address}] 5`);
});

t.test('metadata ping / pong clears the failed-peer set', async (t) => {
  const a = await startPeer(t, '127.0.0.2');
  const b = await startPeer(t, '127.0.0.3', {}, false);
  await a.fake.node.execute(`run client ${b.address} get status`, NO_WAIT);
  t.same(a.fake.node.peers.failedPeers(), [b.address]);
  await startTcp(b, 2);
  // `set servers ping` (core) sends the ping; a successful send already clears the entry, so re-add it
  (a.fake.node.peers as unknown as { failed: Set<string> }).failed.add(b.address);
  const ping = await b.fake.node.peers.sendCommand([a.address], 'event metadata_ping', { wait: false });
  t.equal(ping[0]?.kind, 'text');
  t.ok(await eventually(() => a.fake.executed.some((e) => e.text === 'event metadata_ping')));
  t.ok(
    await eventually(() =>
      b.fake.executed.some((e) => e.text === 'event metadata_pong' && e.peer === a.address),
    ),
  );
  (b.fake.node.peers as unknown as { failed: Set<string> }).failed.add(a.address);
  await a.fake.node.peers.sendCommand([b.address], 'event metadata_pong', { wait: false });
  t.ok(await eventually(() => b.fake.node.peers.failedPeers().length === 0), 'pong removed the source');
  const local = await a.fake.node.execute('event metadata_ping', NO_WAIT);
  t.equal(local.code, 2, 'event from a script is 2');
  const fw = await a.fake.node.execute('file write /tmp/x', NO_WAIT);
  t.equal(fw.code, 2);
});

t.test('self-addressed messages run in-process', async (t) => {
  const a = await startPeer(t, '127.0.0.2');
  for (const dest of [a.address, `127.0.0.1:${a.port}`, `localhost:${a.port}`]) {
    const r = await a.fake.node.execute(`run client (${dest}) get status`, WAIT);
    t.equal(r.text, `\r\n[From Node ${dest}] master-node@${a.address} running`, dest);
  }
  t.ok(a.fake.node.peers.isOwnAddress(`127.0.0.1:${a.port}`));
  t.notOk(a.fake.node.peers.isOwnAddress(`127.0.0.9:${a.port}`));
});

t.test('run client without a TCP server: 135; bad destinations: 20', async (t) => {
  const a = await startPeer(t, '127.0.0.2', {}, false);
  t.equal((await a.fake.node.execute('run client (127.0.0.3:4000) get status', WAIT)).code, 135);
  const b = await startPeer(t, '127.0.0.3');
  t.equal((await b.fake.node.execute('run client (nonsense) get status', WAIT)).code, 20);
  t.equal((await b.fake.node.execute('run client () get status', WAIT)).code, 155, 'no policies → 155');
  t.equal((await b.fake.node.execute('run client 127.0.0.1:1', WAIT)).code, 2);
});

t.test('large messages travel as GENERIC 3 file transfers and are executed', async (t) => {
  const prep = await mkdtemp(join(tmpdir(), 'anylog-prep-'));
  t.teardown(() => rm(prep, { recursive: true, force: true }));
  const a = await startPeer(t, '127.0.0.2');
  const b = await startPeer(t, '127.0.0.3', { dirs: { prep_dir: prep, err_dir: prep } });
  const word = 'x'.repeat(3000);
  const r = await a.fake.node.execute(`run client (${b.address}) get len ${word}`, WAIT);
  t.equal(r.text, `\r\n[From Node ${b.address}] 3000`);
  let left: string[] = ['?'];
  await eventually(() => {
    void readdir(prep).then((f) => (left = f));
    return left.length === 0;
  });
  t.same(left, [], 'the .lmsg file is removed after success');
});
