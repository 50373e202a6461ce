// Which `file write` targets a peer may use (src/node/tcp/file-receiver.ts): the path taken from the
// command, ledger copies only into blockchain_dir while the synchronizer runs (GENERIC 2), large-message
// files only into prep_dir under their strict name (GENERIC 3), nothing for any other flag.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import t from 'tap';
import type { NodeServices } from '../../../../src/node/ports/runtime.js';
import { authorizeFileWrite, fileWritePath } from '../../../../src/node/tcp/file-receiver.js';

function nodeWith(dirs: Record<string, string>, running = true): NodeServices {
  return { dirs, sync: { status: () => ({ running }) } } as unknown as NodeServices;
}

t.test('fileWritePath drops the command words, however spaced, and turns TABs into spaces', async (t) => {
  t.equal(fileWritePath('file \t write cmd.a.1.lmsg'), 'cmd.a.1.lmsg');
  t.equal(fileWritePath('file write\t /tmp/a\tb\tc/blockchain.new '), '/tmp/a b c/blockchain.new');
});

t.test('ledger copies: blockchain_dir only, exact names, only while sync runs', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'anylog-auth-'));
  const node = nodeWith({ blockchain_dir: dir });
  t.same(authorizeFileWrite(node, join(dir, 'blockchain.new'), 2), {
    kind: 'ledger',
    target: join(dir, 'blockchain.new'),
    path: join(dir, 'blockchain.new'),
  });
  t.equal(
    authorizeFileWrite(node, join(dir, 'blockchain.master_id_3.new.gz'), 2)?.path,
    join(dir, 'blockchain.master_id_3.new'),
  );
  t.equal(authorizeFileWrite(node, join(dir, 'xblockchain.new'), 2), undefined, 'prefix before the name');
  t.equal(authorizeFileWrite(node, join(dir, 'blockchain.new.gz.sh'), 2), undefined, 'suffix after the name');
  t.equal(authorizeFileWrite(node, `${dir}/../${basename(dir)}/blockchain.new`, 2), undefined, 'a .. part');
  t.equal(authorizeFileWrite(node, '', 2), undefined);
  t.equal(
    authorizeFileWrite(nodeWith({ blockchain_dir: dir }, false), join(dir, 'blockchain.new'), 2),
    undefined,
  );
});

t.test('only the final .gz is stripped, even when the directory name holds ".gz"', async (t) => {
  const dir = join(mkdtempSync(join(tmpdir(), 'anylog-auth-')), 'copies.gz');
  mkdirSync(dir);
  const node = nodeWith({ blockchain_dir: dir });
  t.equal(authorizeFileWrite(node, join(dir, 'blockchain.new.gz'), 2)?.path, join(dir, 'blockchain.new'));
  t.equal(authorizeFileWrite(node, join(dir, 'blockchain.new'), 2)?.path, join(dir, 'blockchain.new'));
});

t.test('large messages: prep_dir, strict name, GENERIC 3 only', async (t) => {
  const node = nodeWith({ prep_dir: '/prep' });
  t.same(authorizeFileWrite(node, 'cmd.10.0.0.1.123.lmsg', 3), {
    kind: 'lmsg',
    target: '/prep/cmd.10.0.0.1.123.lmsg',
    path: '/prep/cmd.10.0.0.1.123.lmsg',
  });
  t.equal(authorizeFileWrite(node, 'cmd.a.12.lmsg', 3)?.path, '/prep/cmd.a.12.lmsg', 'a two-digit counter');
  t.equal(authorizeFileWrite(node, 'xcmd.a.1.lmsg', 3), undefined, 'prefix before the name');
  t.equal(authorizeFileWrite(node, 'cmd.a.1.lmsg.sh', 3), undefined, 'suffix after the name');
  t.equal(authorizeFileWrite(node, 'cmd.a.1.lmsg', 0), undefined, 'GENERIC 0');
  t.equal(authorizeFileWrite(node, 'cmd.a.1.lmsg', 1), undefined, 'GENERIC 1');
});
