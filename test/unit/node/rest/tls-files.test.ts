// The PEM files of a TLS REST server read at start: the material handed to node:tls, and the coded errors
// (carried in `details.status`, which `run rest server` turns into its reply code) for a missing file, an
// unreadable one and a key that does not belong to the certificate, each naming the file and never the key.
import t, { type Test } from 'tap';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRestTls, RestTlsError } from '../../../../src/node/rest/tls-files.js';
import { STATUS } from '../../../../src/contract/status-codes.js';
import type { RestTlsFiles } from '../../../../src/node/ports/network.js';
import { createAuthority, writeRestPemFiles } from '../../../helpers/tls-certs.js';

async function setup(t: Test): Promise<{ files: RestTlsFiles; ca: string; cert: string; key: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'al-tls-files-'));
  t.teardown(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const ca = await createAuthority('acme');
  const server = await ca.issue({ commonName: 'node1', use: 'server', ips: ['127.0.0.1'] });
  writeRestPemFiles(dir, 'acme', 'node1', ca, server);
  const files = {
    caFile: join(dir, 'ca-acme-public-key.crt'),
    certFile: join(dir, 'server-node1-public-key.crt'),
    keyFile: join(dir, 'server-node1-private-key.key'),
  };
  return { files, ca: ca.cert, cert: server.cert, key: server.key };
}

/** The RestTlsError `loadRestTls` rejects with. */
async function failure(files: RestTlsFiles): Promise<RestTlsError> {
  try {
    await loadRestTls(files);
  } catch (err) {
    if (err instanceof RestTlsError) return err;
    throw err;
  }
  throw new Error('loadRestTls did not fail');
}

t.test('the three files are handed to node:tls as read', async (t) => {
  const s = await setup(t);
  const material = await loadRestTls(s.files);
  const text = (pem: unknown): unknown => (Buffer.isBuffer(pem) ? pem.toString('utf8') : pem);
  t.same(
    { cert: text(material.cert), key: text(material.key), ca: text(material.ca) },
    { cert: s.cert, key: s.key, ca: s.ca },
  );
});

t.test('a missing file is 12 and named; the certificate is read first, the CA last', async (t) => {
  const s = await setup(t);
  rmSync(s.files.caFile);
  const noCa = await failure(s.files);
  t.equal(noCa.status, STATUS.FILE_NOT_FOUND);
  t.same(noCa.details, { status: STATUS.FILE_NOT_FOUND });
  t.equal(noCa.message, `Missing file for ssl process: ${s.files.caFile}`);
  rmSync(s.files.certFile);
  t.equal((await failure(s.files)).message, `Missing file for ssl process: ${s.files.certFile}`);
});

t.test('a file that cannot be read is 47, named with the reason', async (t) => {
  const s = await setup(t);
  rmSync(s.files.keyFile);
  mkdirSync(s.files.keyFile);
  const err = await failure(s.files);
  t.equal(err.status, STATUS.FILE_OPEN_FAILED);
  t.same(err.details, { status: STATUS.FILE_OPEN_FAILED });
  t.equal(err.message, `Failed to read file for ssl process: ${s.files.keyFile}: EISDIR`);
});

t.test("a key of another certificate is 3, naming the files and OpenSSL's reason, not the key", async (t) => {
  const s = await setup(t);
  const other = await (await createAuthority('acme')).issue({ commonName: 'other', use: 'server' });
  writeFileSync(s.files.keyFile, other.key);
  const err = await failure(s.files);
  t.equal(err.status, STATUS.PROCESS_FAILURE);
  t.same(err.details, { status: STATUS.PROCESS_FAILURE });
  const prefix = `SSL setup failed with ${s.files.certFile}, ${s.files.keyFile} and ${s.files.caFile}: `;
  t.ok(err.message.startsWith(prefix), err.message);
  t.ok(err.message.length > prefix.length, 'with a reason');
  const keyBody = other.key.split('\n')[1] ?? '';
  t.ok(keyBody.length > 20 && !err.message.includes(keyBody), 'the key content is not in the message');
});
