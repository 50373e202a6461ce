// The TCP server answers as EdgeLake's does, with EdgeLake's
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
  /** The server's FIN arrived (the sender never ended its own side). */
  readonly serverEnded: boolean;
}

/**
 * An idle limit no test reaches: every server here closes only because it handled the message. A server
 * that waited for its idle timer instead leaves the sender below waiting until the test times out, so
 * "closed after the last frame" needs no time limit of its own.
 */
const NEVER_IDLE = { tcp: { server: { idleTimeoutMs: 600_000 } } };

/** Write frames, keep the sending side open, and wait for the server's half-close and close. */
function sendAndWaitForClose(ip: string, port: number, frames: readonly Buffer[]): Promise<Observed> {
  return new Promise((resolve, reject) => {
    let serverEnded = false;
    const s = connect({ host: ip, port, allowHalfOpen: true }, () => {
      for (const f of frames) s.write(f);
    });
    s.on('end', () => {
      serverEnded = true;
      s.end();
    });
    s.on('close', () => {
      resolve({ serverEnded });
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
  // How soon the close comes (EdgeLake's close_within_ms) is a speed figure: npm run bench:node reports
  // ours as tcpSequentialClose.
  const b = await startPeer(t, '127.0.0.3', NEVER_IDLE);
  const catcher = await replyCatcher(t, '127.0.0.2');
  t.match(edgeLakeEntry('tcp', 'close-after-last-frame').edgelake['connection'], /half-closed \(FIN\)/);
  const last = await sendAndWaitForClose(
    b.ip,
    b.port,
    encodeMessage(request(catcher.port), 'get status', Buffer.alloc(0)),
  );
  t.ok(last.serverEnded, 'closed after the last frame, the server half-closing (FIN) first');
  t.ok(await eventually(() => catcher.messages.length === 1), 'the command was handled');

  const errorFrame = encodeFrame(
    {
      ...messageHeader(request(catcher.port), { index: 0, last: false, command: 10, data: 0 }),
      error: STATUS.COMMAND_STRUCTURE,
    },
    Buffer.from('get status'),
    Buffer.alloc(0),
  );
  t.match(edgeLakeEntry('tcp', 'close-after-error-frame').edgelake['connection'], /half-closed/);
  const onError = await sendAndWaitForClose(b.ip, b.port, [errorFrame]);
  t.ok(onError.serverEnded, 'closed after a frame with ERROR 2, though FLAG_LAST is 0');

  // A sender that waits for each close before its next message is never held up by the server.
  let ended = 0;
  for (let i = 0; i < 50; i++) {
    const r = await sendAndWaitForClose(
      b.ip,
      b.port,
      encodeMessage(request(0), 'get status', Buffer.alloc(0)),
    );
    if (r.serverEnded) ended++;
  }
  t.equal(ended, 50, 'fifty sequential messages, each closed by the server');
});

t.test('every frame of a request runs its command: two frames, two replies', async (t) => {
  const b = await startPeer(t, '127.0.0.3', NEVER_IDLE);
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
  const b = await startPeer(t, '127.0.0.3', { ...NEVER_IDLE, ipPorts: '[{"svc": {"name": "op1"}}]' });
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
  const b = await startPeer(t, '127.0.0.3', NEVER_IDLE);
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
  t.ok(closed.serverEnded, 'the server closed the connection');
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
