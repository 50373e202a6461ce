// REST over TLS with client certificates (`run rest server … ssl = true and ca_org = … and server_org = …`)
// on a real node and real sockets: certificates made in the test; a client with a certificate of the
// node's CA is served (GET, Content-Length POST, a chunked POST handed to node:http, the operator's
// client); no certificate, a certificate of another CA and plain HTTP are refused; `get processes` and
// `get rest server info` show SSL; missing, unreadable and mismatched PEM files give coded errors that
// name the file and never the key; the where-clause rules (code 2); the file names of AnyLog's layout.
import t, { type Test } from 'tap';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { restTlsFiles } from '../../../../src/node/commands/servers.js';
import { HttpNodeClient } from '../../../../src/nodeclient/http.js';
import { NodeUnreachableError } from '../../../../src/nodeclient/errors.js';
import { STATUS } from '../../../../src/contract/status-codes.js';
import { startRealNode, startServers, type RealNode } from '../../../helpers/real-node.js';
import { createAuthority, writeRestPemFiles, type Issued } from '../../../helpers/tls-certs.js';

const IP = '127.0.0.1';
const HEADERS = { 'User-Agent': 'AnyLog/1.23' };

interface Answer {
  readonly status: number;
  readonly body: string;
}

interface TlsRequest {
  readonly command: string;
  readonly method?: 'GET' | 'POST';
  /** Body pieces: one piece goes with Content-Length, several as chunked transfer encoding. */
  readonly body?: readonly string[];
  readonly client?: Issued;
  readonly ca: string;
}

/** One HTTPS request on a connection of its own; rejects when the handshake or the exchange fails. */
function tlsRequest(port: number, r: TlsRequest): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const pieces = r.body ?? [];
    const headers: Record<string, string> = { ...HEADERS, command: r.command };
    if (pieces.length === 1) headers['Content-Length'] = String(Buffer.byteLength(pieces[0] ?? ''));
    if (pieces.length > 1) headers['Transfer-Encoding'] = 'chunked';
    const req = request(
      {
        host: IP,
        port,
        path: '/',
        method: r.method ?? 'GET',
        headers,
        agent: false,
        ca: r.ca,
        ...(r.client === undefined ? {} : { cert: r.client.cert, key: r.client.key }),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      },
    );
    req.setTimeout(10_000, () => req.destroy(new Error('request timeout')));
    req.on('error', reject);
    for (const piece of pieces) req.write(piece);
    req.end();
  });
}

function restCommand(n: RealNode, tail: string): string {
  return `run rest server where internal_ip = ${n.ip} and internal_port = ${n.restPort} and external_ip = ${n.ip} and external_port = ${n.restPort} and bind = true and threads = 4 and timeout = 5${tail}`;
}

async function pki(): Promise<{
  ca: Awaited<ReturnType<typeof createAuthority>>;
  server: Issued;
  client: Issued;
  stranger: Issued;
}> {
  const ca = await createAuthority('Acme CA');
  const other = await createAuthority('Other CA');
  return {
    ca,
    server: await ca.issue({ commonName: 'master-node', use: 'server', ips: [IP], dns: ['localhost'] }),
    client: await ca.issue({ commonName: 'operator', use: 'client' }),
    stranger: await other.issue({ commonName: 'operator', use: 'client' }),
  };
}

function refusedWith(t: Test, outcome: PromiseSettledResult<Answer>, what: string): void {
  t.equal(outcome.status, 'rejected', `${what}: refused`);
  if (outcome.status === 'rejected') {
    const err = outcome.reason as NodeJS.ErrnoException;
    t.comment(`${what}: ${err.code ?? ''} ${err.message}`);
  }
}

t.test('a TLS REST server serves clients of its CA and refuses every other client', async (t) => {
  const keys = await pki();
  const n = await startRealNode(t, IP, { NODE_NAME: 'tls-master' });
  await startServers(t, n, false);
  const pemDir = n.node.dict.get('pem_dir') ?? '';
  t.match(pemDir, /[/\\]AnyLog-Network[/\\]anylog$/, 'pem_dir defaults to the node home');
  mkdirSync(pemDir, { recursive: true });
  writeRestPemFiles(pemDir, 'acme-ca', 'acme-inc', keys.ca, keys.server);

  const started = await n.run(
    restCommand(n, ` and ssl = true and ca_org = "Acme CA" and server_org = "Acme Inc"`),
  );
  t.equal(started.code, STATUS.SUCCESS, `run rest server with ssl: ${started.detail ?? ''}`);
  const port = n.restPort;

  const status = await tlsRequest(port, { command: 'get status', client: keys.client, ca: keys.ca.cert });
  t.same(
    status,
    { status: 200, body: `tls-master@${IP}:${n.tcpPort} running` },
    'get status with the issued certificate',
  );

  const processes = await tlsRequest(port, {
    command: 'get processes',
    client: keys.client,
    ca: keys.ca.cert,
  });
  t.match(
    processes.body,
    new RegExp(
      `\\|Listening on: ${IP.replace(/\./g, '\\.')}:${port}, Threads Pool: 4, Timeout: 5, SSL: True\\|`,
    ),
    'get processes: the REST row says SSL: True',
  );
  const info = await tlsRequest(port, {
    command: 'get rest server info',
    client: keys.client,
    ca: keys.ca.cert,
  });
  t.match(info.body, new RegExp(`\\r\\nconnection +\\| https://${IP.replace(/\./g, '\\.')}:${port} +\\|`));
  t.match(info.body, /\r\nis_ssl +\| True +\|/);
  t.match(info.body, /\r\nnode_private_key *\| \S+server-acme-inc-private-key\.key +\|/, 'the key file name');
  t.notMatch(info.body, /PRIVATE KEY-----/, 'never the key');

  const post = await tlsRequest(port, {
    command: 'tls_one = one',
    method: 'POST',
    body: [''],
    client: keys.client,
    ca: keys.ca.cert,
  });
  t.equal(post.status, 200, 'a Content-Length POST');
  t.equal(n.node.dict.get('tls_one'), 'one');
  const chunked = await tlsRequest(port, {
    command: 'tls_two = two',
    method: 'POST',
    body: ['tls_two', ' = two'],
    client: keys.client,
    ca: keys.ca.cert,
  });
  t.equal(chunked.status, 200, 'a chunked POST, served by node:http on the TLS socket');
  t.equal(n.node.dict.get('tls_two'), 'two');

  const client = new HttpNodeClient({
    host: IP,
    port,
    connectTimeoutMs: 10_000,
    requestTimeoutMs: 20_000,
    tls: { ca: keys.ca.cert, cert: keys.client.cert, key: keys.client.key },
  });
  t.equal(client.url, `https://${IP}:${port}/`);
  t.same(await client.getStatus(), {
    assignedName: `tls-master@${IP}:${n.tcpPort}`,
    status: 'running',
    profiling: false,
  });
  const rest = (await client.getProcesses()).find((p) => p.name === 'REST');
  t.match(rest?.details, /SSL: True$/, "the operator's client reads SSL: True");

  const before = n.node.dict.get('tls_refused');
  const [noCert, otherCa, plain] = await Promise.allSettled([
    tlsRequest(port, { command: 'tls_refused = yes', method: 'POST', body: [''], ca: keys.ca.cert }),
    tlsRequest(port, {
      command: 'tls_refused = yes',
      method: 'POST',
      body: [''],
      client: keys.stranger,
      ca: keys.ca.cert,
    }),
    fetch(`http://${IP}:${port}/`, {
      method: 'POST',
      headers: { ...HEADERS, command: 'tls_refused = yes' },
    }).then(async (r) => ({ status: r.status, body: await r.text() })),
  ]);
  refusedWith(t, noCert, 'no client certificate');
  refusedWith(t, otherCa, 'a certificate of another CA');
  refusedWith(t, plain, 'plain HTTP');
  t.equal(n.node.dict.get('tls_refused'), before, 'no refused request ran its command');

  const stranger = new HttpNodeClient({
    host: IP,
    port,
    connectTimeoutMs: 10_000,
    requestTimeoutMs: 20_000,
    tls: { ca: keys.ca.cert, cert: keys.stranger.cert, key: keys.stranger.key },
  });
  await t.rejects(
    stranger.getStatus(),
    NodeUnreachableError,
    "the operator's client with a foreign certificate",
  );

  // the server keeps serving after refused handshakes
  const again = await tlsRequest(port, { command: 'get status', client: keys.client, ca: keys.ca.cert });
  t.equal(again.status, 200);
});

t.test(
  'ssl = true: pem files from the dictionary pem_dir; missing, unreadable and mismatched files',
  async (t) => {
    const keys = await pki();
    const n = await startRealNode(t, IP);
    await startServers(t, n, false);
    const dir = mkdtempSync(join(tmpdir(), 'al-pem-'));
    t.teardown(() => {
      rmSync(dir, { recursive: true, force: true });
    });
    t.equal((await n.run(`pem_dir = ${dir}`)).code, STATUS.SUCCESS);
    const ssl = restCommand(n, ' and ssl = true and ca_org = acme and server_org = node1');
    const files = restTlsFiles(dir, 'acme', 'node1');

    const missing = await n.run(ssl);
    t.equal(missing.code, STATUS.FILE_NOT_FOUND, 'no files: 12');
    t.equal(missing.detail, `Missing file for ssl process: ${files.certFile}`, 'names the certificate first');

    writeRestPemFiles(dir, 'acme', 'node1', keys.ca, keys.server);
    rmSync(files.caFile);
    const noCa = await n.run(ssl);
    t.equal(noCa.code, STATUS.FILE_NOT_FOUND);
    t.equal(noCa.detail, `Missing file for ssl process: ${files.caFile}`, 'then the CA');

    writeRestPemFiles(dir, 'acme', 'node1', keys.ca, keys.server);
    rmSync(files.keyFile);
    mkdirSync(files.keyFile);
    const unreadable = await n.run(ssl);
    t.equal(unreadable.code, STATUS.FILE_OPEN_FAILED, 'a key that cannot be read: 47');
    t.equal(unreadable.detail, `Failed to read file for ssl process: ${files.keyFile}: EISDIR`);
    rmSync(files.keyFile, { recursive: true });

    const otherKey = await keys.ca.issue({ commonName: 'other', use: 'server', ips: [IP] });
    writeRestPemFiles(dir, 'acme', 'node1', keys.ca, { cert: keys.server.cert, key: otherKey.key });
    const mismatch = await n.run(ssl);
    t.equal(mismatch.code, STATUS.PROCESS_FAILURE, 'a key of another certificate: 3');
    t.match(
      mismatch.detail,
      /^SSL setup failed with \S+server-node1-public-key\.crt, \S+server-node1-private-key\.key and \S+ca-acme-public-key\.crt: /,
    );
    const keyBody = otherKey.key.split('\n')[1] ?? '';
    t.ok(
      keyBody.length > 20 && !(mismatch.detail ?? '').includes(keyBody),
      'the key content is not in the answer',
    );
    t.equal(n.node.rest.info(), undefined, 'no server runs after a failure');

    writeRestPemFiles(dir, 'acme', 'node1', keys.ca, keys.server);
    t.equal((await n.run(ssl)).code, STATUS.SUCCESS, 'the files in the assigned pem_dir');
    const ok = await tlsRequest(n.restPort, { command: 'get status', client: keys.client, ca: keys.ca.cert });
    t.equal(ok.status, 200);
  },
);

t.test('ssl, ca_org and server_org must come together', async (t) => {
  const n = await startRealNode(t, IP);
  for (const tail of [
    ' and ssl = true',
    ' and ssl = true and ca_org = acme',
    ' and ssl = true and server_org = node1',
    ' and ca_org = acme and server_org = node1',
    ' and ssl = false and ca_org = acme',
  ]) {
    const r = await n.run(restCommand(n, tail));
    t.equal(r.code, STATUS.COMMAND_STRUCTURE, tail);
  }
  t.equal(n.node.rest.info(), undefined);
  const plain = await n.run(restCommand(n, ' and ssl = false'));
  t.equal(plain.code, STATUS.SUCCESS, 'ssl = false is plain HTTP');
});

t.test("AnyLog's file names: organization lower case, spaces as '-', quotes dropped", async (t) => {
  t.same(restTlsFiles('/pem', ' Acme Inc ', "O'Brien Labs"), {
    certFile: '/pem/server-obrien-labs-public-key.crt',
    keyFile: '/pem/server-obrien-labs-private-key.key',
    caFile: '/pem/ca-acme-inc-public-key.crt',
  });
});
