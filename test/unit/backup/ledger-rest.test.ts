import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { clientFor, readClientTls } from '../../../src/backup/ledger-rest.js';

t.test('the client certificate comes from the mounted Secret files', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'backup-tls-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'tls.crt'), 'CERT');
  writeFileSync(join(dir, 'tls.key'), 'KEY');
  writeFileSync(join(dir, 'ca.crt'), 'CA');
  t.same(readClientTls({ dir, servername: 'master-0.master-headless.ns.svc' }), {
    ca: 'CA',
    cert: 'CERT',
    key: 'KEY',
    servername: 'master-0.master-headless.ns.svc',
  });
  t.throws(() => readClientTls({ dir: join(dir, 'missing'), servername: 'x' }), { code: 'ENOENT' });
});

t.test('an https URL goes with a client certificate and a plain one without', async (t) => {
  t.equal(clientFor('http://127.0.0.1:32049/').url, 'http://127.0.0.1:32049/');
  t.throws(() => clientFor('https://127.0.0.1:32049/'), /needs the client certificate/);
  t.throws(
    () => clientFor('http://127.0.0.1:32049/', { dir: '/nowhere', servername: 'x' }),
    /only an https URL takes one/,
  );
});
