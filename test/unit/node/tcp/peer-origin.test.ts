// What a received message is executed as: the peer it came from (a source address of 0.0.0.0 or none
// stands for the socket's address), and a large message's file afterwards (deleted after success,
// kept in err_dir after a failure).
import t from 'tap';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeMessage } from '../../../../src/node/tcp/codec.js';
import { startPeer, sendRaw, eventually } from '../../../helpers/tcp-peers.js';

t.test('a 0.0.0.0 or empty source address is replaced by the address of the socket', async (t) => {
  const b = await startPeer(t, '127.0.0.3');
  const send = async (sourceIp: string, command: string): Promise<void> => {
    const frames = encodeMessage({ infoType: 6, sourceIp, sourcePort: 0 }, command, Buffer.alloc(0));
    await sendRaw(b.ip, b.port, Buffer.concat(frames));
  };
  await send('0.0.0.0', 'get status');
  await send('', 'get status');
  await send('10.1.2.3', 'get status');
  t.ok(await eventually(() => b.fake.executed.length === 3), 'three executed');
  const peers = b.fake.executed.map((e) => e.peer);
  // the test's sockets connect from 127.0.0.1
  t.same(peers.slice().sort(), ['10.1.2.3:0', '127.0.0.1:0', '127.0.0.1:0']);
});

t.test('a large message file is deleted after success and moved to err_dir after failure', async (t) => {
  const prep = await mkdtemp(join(tmpdir(), 'anylog-prep-'));
  const errDir = await mkdtemp(join(tmpdir(), 'anylog-err-'));
  t.teardown(async () => {
    await rm(prep, { recursive: true, force: true });
    await rm(errDir, { recursive: true, force: true });
  });
  const b = await startPeer(t, '127.0.0.3', { dirs: { prep_dir: prep, err_dir: errDir } });
  const sendLarge = async (name: string, text: string): Promise<void> => {
    const frames = encodeMessage(
      { infoType: 0, genericFlag: 3, sourceIp: '127.0.0.2', sourcePort: 0 },
      `file write ${name}`,
      Buffer.from(text),
      true,
    );
    await sendRaw(b.ip, b.port, Buffer.concat(frames));
  };
  await sendLarge('cmd.127.0.0.2.1.lmsg', 'get status');
  t.ok(await eventually(() => b.fake.executed.some((e) => e.text === 'get status')), 'executed');
  await sendLarge('cmd.127.0.0.2.2.lmsg', 'no such command here');
  let kept: string[] = [];
  const until = Date.now() + 5000;
  while (kept.length === 0 && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 20));
    kept = await readdir(errDir);
  }
  t.same(await readdir(errDir), ['cmd.127.0.0.2.2.lmsg']);
  t.equal(await readFile(join(errDir, 'cmd.127.0.0.2.2.lmsg'), 'utf8'), 'no such command here');
  t.same(await readdir(prep), [], 'nothing left in prep_dir: the successful file was deleted');
});
