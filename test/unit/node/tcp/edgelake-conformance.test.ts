// The TCP server answers as EdgeLake's does (docs/design/node-runtime.md §6.1, §6.3, §6.5, §6.6), with EdgeLake's
// answers read from test/fixtures/edgelake/tcp.json: the connection is half-closed and closed once the last
// frame (or a frame with an error) is handled, every request frame runs its command, reply headers carry
// EdgeLake's flags, an over-long command gets the error-2 echo and an unknown event gets no reply.
import t from 'tap';
import { connect } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  encodeMessage,
  encodeFrame,
  messageHeader,
  type MessageMeta,
} from '../../../../src/node/tcp/codec.js';
import { startPeer, replyCatcher, eventually } from '../../../helpers/tcp-peers.js';
import { edgeLakeEntry } from '../../../helpers/edgelake-fixtures.js';
import { loadConfig } from '../../../../src/node/config.js';
import { bootNode } from '../../../helpers/boot-node.js';
import { STATUS } from '../../../../src/contract/status-codes.js';

interface Observed {
  readonly closedAfterMs: number;
  /** The server's FIN arrived (the sender never ended its own side). */
  readonly serverEnded: boolean;
}

/** Write frames, keep the sending side open, and time the server's half-close and close. */
function sendAndWaitForClose(
  ip: string,
  port: number,
  frames: readonly Buffer[],
  limitMs = 2000,
): Promise<Observed> {
  return new Promise((resolve, reject) => {
    let serverEnded = false;
    let sentAt = 0;
    const s = connect({ host: ip, port, allowHalfOpen: true }, () => {
      for (const f of frames) s.write(f);
      sentAt = performance.now();
    });
    const timer = setTimeout(() => {
      s.destroy();
      resolve({ closedAfterMs: Number.POSITIVE_INFINITY, serverEnded });
    }, limitMs);
    s.on('end', () => {
      serverEnded = true;
      s.end();
    });
    s.on('close', () => {
      clearTimeout(timer);
      resolve({ closedAfterMs: performance.now() - sentAt, serverEnded });
    });
    s.on('error', reject);
    s.resume();
  });
}

const request = (port: number, extra: Partial<MessageMeta> = {}): MessageMeta => ({
  infoType: 6,
  sourceIp: '127.0.0.2',
  sourcePort: port,
  ...extra,
});

t.test('the server half-closes and closes after the last frame and after an error frame', async (t) => {
  const b = await startPeer(t, '127.0.0.3');
  const catcher = await replyCatcher(t, '127.0.0.2');
  const fact = edgeLakeEntry('tcp', 'close-after-last-frame').edgelake;
  const limit = Number(fact['close_within_ms']);
  // The fastest of five attempts: a loaded shared machine may stall any single one, while the old
  // behaviour (close on the 30 s idle timeout) fails every attempt.
  const fastest = async (frames: () => Buffer[]): Promise<Observed> => {
    let best: Observed = { closedAfterMs: Number.POSITIVE_INFINITY, serverEnded: false };
    for (let i = 0; i < 5; i++) {
      const r = await sendAndWaitForClose(b.ip, b.port, frames());
      if (r.serverEnded && r.closedAfterMs < best.closedAfterMs) best = r;
      if (!r.serverEnded) return r;
    }
    return best;
  };
  const last = await fastest(() => encodeMessage(request(catcher.port), 'get status', Buffer.alloc(0)));
  t.ok(last.serverEnded, 'the server half-closed (FIN) first');
  t.ok(last.closedAfterMs < limit, `closed ${last.closedAfterMs.toFixed(1)} ms after the last frame`);
  t.ok(await eventually(() => catcher.messages.length === 5), 'each command was handled before its close');

  const errorFrame = encodeFrame(
    {
      ...messageHeader(request(catcher.port), { index: 0, last: false, command: 10, data: 0 }),
      error: STATUS.COMMAND_STRUCTURE,
    },
    Buffer.from('get status'),
    Buffer.alloc(0),
  );
  const onError = await fastest(() => [errorFrame]);
  t.ok(onError.serverEnded);
  t.ok(
    onError.closedAfterMs <
      Number(edgeLakeEntry('tcp', 'close-after-error-frame').edgelake['close_within_ms']),
    `closed ${onError.closedAfterMs.toFixed(1)} ms after a frame with ERROR 2`,
  );

  // A sender that waits for each close before the next message keeps going at loopback speed.
  const started = performance.now();
  for (let i = 0; i < 50; i++) {
    const r = await sendAndWaitForClose(
      b.ip,
      b.port,
      encodeMessage(request(0), 'get status', Buffer.alloc(0)),
    );
    if (!r.serverEnded) {
      t.fail(`message ${i} not closed by the server`);
      break;
    }
  }
  t.ok(performance.now() - started < 2500, 'fifty sequential messages well under the idle timeout of one');
});

t.test('every frame of a request runs its command: two frames, two replies', async (t) => {
  const b = await startPeer(t, '127.0.0.3');
  const catcher = await replyCatcher(t, '127.0.0.2');
  const fact = edgeLakeEntry('tcp', 'two-frame-request').edgelake;
  const frames = encodeMessage(request(catcher.port), 'get status', Buffer.alloc(2500, 0x20));
  t.equal(frames.length, 2, 'a request spread over two frames');
  await sendAndWaitForClose(b.ip, b.port, frames);
  t.ok(await eventually(() => catcher.messages.length >= Number(fact['replies'])));
  await new Promise((r) => setTimeout(r, 100));
  t.equal(catcher.messages.length, fact['replies']);
  const each = fact['each'] as Record<string, unknown>;
  for (const m of catcher.messages) {
    t.equal(m.command, each['command']);
    t.equal(m.header.flagInfoType, each['flag_info_type']);
    t.equal(m.header.error, each['error']);
    t.equal(m.data.toString(), `master-node@${b.address} running`);
  }
  t.equal(b.fake.executed.filter((e) => e.text === 'get status').length, 2, 'executed once per frame');
});

t.test('reply headers: echo errors GENERIC 0, JSON flagged only for format = json', async (t) => {
  const b = await startPeer(t, '127.0.0.3', { ipPorts: '[{"svc": {"name": "op1"}}]' });
  const catcher = await replyCatcher(t, '127.0.0.2');
  const send = async (command: string, jobId = 1): Promise<void> => {
    await sendAndWaitForClose(
      b.ip,
      b.port,
      encodeMessage(request(catcher.port, { jobId }), command, Buffer.alloc(0)),
    );
  };
  const echoFact = (edgeLakeEntry('tcp', 'echo-error-reply-generic').edgelake['reply'] ?? {}) as Record<
    string,
    unknown
  >;
  await send('foo bar');
  t.ok(await eventually(() => catcher.messages.length === 1));
  const echo = catcher.messages[0]!;
  t.ok(echo.command.startsWith(String(echoFact['command_starts'])));
  t.equal(echo.header.error, echoFact['error']);
  t.equal(echo.header.genericFlag, echoFact['generic_flag']);

  await send('get status where format = json');
  t.ok(await eventually(() => catcher.messages.length === 2));
  t.equal(catcher.messages[1]!.header.genericFlag, 2, 'JSON asked for, JSON flagged');

  // JSON text answering a command that did not ask for JSON is flagged as text, so a relaying EdgeLake
  // node labels it `[From Node …]`.
  const relayed = edgeLakeEntry('tcp', 'json-reply-relayed').edgelake;
  await send('blockchain get svc', 1);
  t.ok(await eventually(() => catcher.messages.length === 3));
  t.equal(catcher.messages[2]!.data.toString(), '[{"svc": {"name": "op1"}}]');
  t.equal(catcher.messages[2]!.header.genericFlag, relayed['peer_reply_generic_flag']);
});

t.test('ledger file transfers carry COUNTER_RECEIVERS and PAR_USED 0', async (t) => {
  const a = await startPeer(t, '127.0.0.2');
  const catcher = await replyCatcher(t, '127.0.0.4');
  const fact = (edgeLakeEntry('tcp', 'ledger-file-transfer-header').edgelake['reply'] ?? {}) as Record<
    string,
    unknown
  >;
  await a.fake.node.peers.sendFile(
    `127.0.0.4:${catcher.port}`,
    '/x/blockchain.master_id_1.new',
    Buffer.from('{}\n'),
    2,
  );
  t.ok(await eventually(() => catcher.messages.length === 1));
  const m = catcher.messages[0]!;
  t.ok(m.command.startsWith(String(fact['command_starts'])));
  t.equal(m.header.flagInfoType, fact['flag_info_type']);
  t.equal(m.header.genericFlag, fact['generic_flag']);
  t.equal(m.header.counterReceivers, fact['counter_receivers']);
  t.equal(m.header.parUsed, fact['par_used']);
});

t.test('a COMMAND_LENGTH of 3000 gets the error-2 echo; an unknown event gets no reply', async (t) => {
  const b = await startPeer(t, '127.0.0.3');
  const catcher = await replyCatcher(t, '127.0.0.2');
  const long = encodeFrame(
    {
      ...messageHeader(request(catcher.port), { index: 0, last: true, command: 10, data: 0 }),
      commandLength: 3000,
    },
    Buffer.from('get status'),
    Buffer.alloc(0),
  );
  const closed = await sendAndWaitForClose(b.ip, b.port, [long]);
  t.ok(closed.closedAfterMs < 1000, 'the connection is closed');
  const fact = (edgeLakeEntry('tcp', 'command-length-3000').edgelake['reply'] ?? {}) as Record<
    string,
    unknown
  >;
  t.ok(await eventually(() => catcher.messages.length === 1), 'answered');
  t.equal(catcher.messages[0]!.command, fact['command']);
  t.equal(catcher.messages[0]!.header.error, fact['error']);

  t.equal(edgeLakeEntry('tcp', 'event-unknown').edgelake['reply'], null);
  await sendAndWaitForClose(
    b.ip,
    b.port,
    encodeMessage(request(catcher.port, { jobId: 1 }), 'event foo', Buffer.alloc(0)),
  );
  await sendAndWaitForClose(
    b.ip,
    b.port,
    encodeMessage(request(catcher.port, { jobId: 2 }), 'get status', Buffer.alloc(0)),
  );
  t.ok(await eventually(() => catcher.messages.length >= 2));
  await new Promise((r) => setTimeout(r, 100));
  t.equal(catcher.messages.length, 2, 'only the get status was answered');
  t.equal(catcher.messages[1]!.header.jobId, 2);
  t.ok(
    b.fake.executed.some((e) => e.text === 'event foo'),
    'the event itself was received',
  );
});

t.test('an unparsable policy pushed by a peer fails with 30 (6 locally)', async (t) => {
  const home = mkdtempSync(join(tmpdir(), 'al-push-'));
  const config = loadConfig(
    { NODE_TYPE: 'master', NODE_NAME: 'push-master', INTERNAL_IP: '127.0.0.1', ANYLOG_PATH: home },
    { hostname: 'push-host', cwd: home, interfaces: {} },
  );
  const { running } = await bootNode(t, config, home);
  const fact = (edgeLakeEntry('tcp', 'push-invalid-json').edgelake['reply'] ?? {}) as Record<string, unknown>;
  const input = edgeLakeEntry('tcp', 'push-invalid-json').input['frames'] as { command: string }[];
  const command = input[0]!.command;
  const console = (): void => undefined;
  const peer = {
    ip: '127.0.0.2',
    port: 32148,
    socketIp: '127.0.0.2',
    jobLocation: 0,
    jobId: 1,
    receiverId: 0,
    receivers: 1,
  };
  const fromPeer = await running.node.execute(command, { source: 'tcp', assigned: false, peer, console });
  t.equal(fromPeer.code, fact['error']);
  const local = await running.node.execute(command, { source: 'script', assigned: false, console });
  t.equal(local.code, 6);
});
