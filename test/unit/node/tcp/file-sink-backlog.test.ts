// FileSink (src/node/tcp/file-receiver.ts) as the connection sees it: the backlog that pauses the socket
// counts one queued write per ~1 MiB gathered and drops back when it is done; a broken gzip transfer
// fails instead of hanging; abort closes the file and tolerates a file that never opened.
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { FileSink } from '../../../../src/node/tcp/file-receiver.js';

function target(name = 'blockchain.new'): string {
  return join(mkdtempSync(join(tmpdir(), 'anylog-sink-')), name);
}

const frame = Buffer.alloc(2048, 7);

t.test('one queued write per 1 MiB gathered, none before, none once it is written', async (t) => {
  const path = target();
  const sink = new FileSink({ kind: 'ledger', target: path, path });
  for (let k = 0; k < 511; k++) void sink.write(frame);
  t.equal(sink.backlog, 0, '511 frames stay gathered');
  const written = sink.write(frame);
  t.equal(sink.backlog, 1, 'the 512th frame (1 MiB) queues one write');
  await written;
  t.equal(sink.backlog, 0, 'the write is done');
  await sink.finish();
});

t.test('a corrupt .gz transfer makes finish fail, not hang', async (t) => {
  const base = target();
  const sink = new FileSink({ kind: 'ledger', target: `${base}.gz`, path: base });
  void sink.write(Buffer.from('not gzip at all'));
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve('hung'), 5000);
  });
  const outcome = await Promise.race([
    sink.finish().then(
      () => 'resolved',
      () => 'rejected',
    ),
    timeout,
  ]);
  clearTimeout(timer);
  t.equal(outcome, 'rejected');
  t.notOk(existsSync(base));
});

t.test('abort closes the open file', async (t) => {
  const path = target();
  const before = readdirSync('/proc/self/fd').length;
  const sink = new FileSink({ kind: 'ledger', target: path, path });
  await sink.write(frame);
  await sink.abort();
  t.equal(readdirSync('/proc/self/fd').length, before, 'no descriptor left open');
  t.notOk(existsSync(`${path}.transfer`));
});

t.test('a file that could not be opened: abort resolves, finish rejects, nothing unhandled', async (t) => {
  const path = join(tmpdir(), 'anylog-no-such-dir-for-sink', 'blockchain.new');
  const early = new FileSink({ kind: 'ledger', target: path, path });
  await new Promise((resolve) => setTimeout(resolve, 50));
  await t.resolves(early.abort());
  const later = new FileSink({ kind: 'ledger', target: path, path });
  await new Promise((resolve) => setTimeout(resolve, 50));
  await t.rejects(later.finish(), { code: 'ENOENT' });
});
