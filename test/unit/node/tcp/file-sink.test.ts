// FileSink (src/node/tcp/file-receiver.ts): frame data gathered into vectored writes lands in the final
// file byte for byte, whatever the frame sizes; a gzip target is un-gzipped; abort leaves no file behind.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import t from 'tap';
import { FileSink } from '../../../../src/node/tcp/file-receiver.js';

function dir(): string {
  return mkdtempSync(join(tmpdir(), 'anylog-sink-'));
}

t.test('3 MiB in 2 KiB frames (and odd sizes) arrive whole and in order', async (t) => {
  const target = join(dir(), 'blockchain.new');
  const data = randomBytes(3 * 1024 * 1024 + 777);
  const sink = new FileSink({ kind: 'ledger', target, path: target });
  let at = 0;
  let i = 0;
  while (at < data.length) {
    const size = i % 7 === 0 ? 13 : 2048;
    const frame = Buffer.from(data.subarray(at, at + size));
    void sink.write(frame);
    frame.fill(0); // the sink must have copied the frame
    at += size;
    i += 1;
  }
  t.equal(await sink.finish(), target);
  t.ok(readFileSync(target).equals(data), 'identical bytes');
  t.notOk(existsSync(`${target}.transfer`));
});

t.test('a .gz transfer is un-gzipped into the final path', async (t) => {
  const base = join(dir(), 'blockchain.new');
  const text = Buffer.from('{"master": {"name": "m"}}\n'.repeat(50_000));
  const gz = gzipSync(text);
  const sink = new FileSink({ kind: 'ledger', target: `${base}.gz`, path: base });
  for (let at = 0; at < gz.length; at += 2048) void sink.write(gz.subarray(at, at + 2048));
  t.equal(await sink.finish(), base);
  t.ok(readFileSync(base).equals(text));
});

t.test('abort removes the partial file', async (t) => {
  const target = join(dir(), 'blockchain.new');
  const sink = new FileSink({ kind: 'ledger', target, path: target });
  for (let k = 0; k < 1000; k++) void sink.write(randomBytes(2048));
  await sink.abort();
  t.notOk(existsSync(`${target}.transfer`));
  t.notOk(existsSync(target));
});
