// HttpNodeClient with `tls` against a node:https server on 127.0.0.1 that requires client certificates:
// the client presents its certificate and trusts only the given CA; `servername` checks the server
// certificate against a DNS name while connecting to an IP; a wrong CA or name makes the node unreachable.
import t, { type Test } from 'tap';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { TLSSocket } from 'node:tls';
import { HttpNodeClient, type NodeClientTls } from '../../../src/nodeclient/http.js';
import { NodeUnreachableError } from '../../../src/nodeclient/errors.js';
import { createAuthority } from '../../helpers/tls-certs.js';

const HOST = '127.0.0.1';
const STATUS_BODY = '{"assigned_name": "m@127.0.0.1:32048", "status": "running", "profiling": false}';

async function serve(
  t: Test,
  server: { cert: string; key: string },
  ca: string,
): Promise<{ port: number; peers: string[] }> {
  const peers: string[] = [];
  const https: Server = createServer(
    { ...server, ca, requestCert: true, rejectUnauthorized: true },
    (req, res) => {
      const socket: unknown = req.socket;
      if (socket instanceof TLSSocket) peers.push(String(socket.getPeerCertificate().subject.CN));
      res.writeHead(200, { 'Content-Type': 'text/json', 'Content-Length': Buffer.byteLength(STATUS_BODY) });
      res.end(STATUS_BODY);
    },
  );
  await new Promise<void>((resolve) => https.listen(0, HOST, resolve));
  t.teardown(() => {
    https.closeAllConnections();
    return new Promise<void>((resolve) => https.close(() => resolve()));
  });
  return { port: (https.address() as AddressInfo).port, peers };
}

function client(port: number, tls: NodeClientTls): HttpNodeClient {
  return new HttpNodeClient({ host: HOST, port, connectTimeoutMs: 10_000, requestTimeoutMs: 20_000, tls });
}

t.test('mutual TLS: the client certificate, the trusted CA and the checked server name', async (t) => {
  const ca = await createAuthority('Node CA');
  const other = await createAuthority('Other CA');
  const operator = await ca.issue({ commonName: 'operator', use: 'client' });
  const dnsOnly = await ca.issue({ commonName: 'master', use: 'server', dns: ['master.anylog.svc'] });
  const { port, peers } = await serve(t, dnsOnly, ca.cert);
  const tls = { ca: ca.cert, cert: operator.cert, key: operator.key };

  const named = client(port, { ...tls, servername: 'master.anylog.svc' });
  t.equal(named.url, `https://${HOST}:${port}/`);
  t.same(await named.getStatus(), { assignedName: 'm@127.0.0.1:32048', status: 'running', profiling: false });
  t.same(await named.getStatus(), { assignedName: 'm@127.0.0.1:32048', status: 'running', profiling: false });
  t.same(peers, ['operator', 'operator'], 'the server saw the client certificate on each call');

  const unnamed = await client(port, tls)
    .getStatus()
    .then(
      () => undefined,
      (err: unknown) => err,
    );
  t.type(unnamed, NodeUnreachableError, 'without servername the IP is checked, and the certificate has none');
  t.match((unnamed as NodeUnreachableError).message, /ERR_TLS_CERT_ALTNAME_INVALID/);

  const foreignCa = await client(port, { ...tls, ca: other.cert, servername: 'master.anylog.svc' })
    .getStatus()
    .then(
      () => undefined,
      (err: unknown) => err,
    );
  t.type(foreignCa, NodeUnreachableError, 'a server certificate of an untrusted CA');

  const stranger = await other.issue({ commonName: 'stranger', use: 'client' });
  await t.rejects(
    client(port, {
      ca: ca.cert,
      cert: stranger.cert,
      key: stranger.key,
      servername: 'master.anylog.svc',
    }).getStatus(),
    NodeUnreachableError,
    'a client certificate the server does not trust',
  );
  t.same(peers, ['operator', 'operator'], 'no refused client reached the handler');
});
