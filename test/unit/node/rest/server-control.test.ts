// The REST server control (rest/index.ts) over loopback sockets: what info() reports and a timeout change
// while running; a second start refused while one runs; a listen failure named with the address (every
// IPv4 interface without bind) and leaving nothing running; the body limit reaching connections the
// fastify app serves; a TLS server asking every client for a certificate of its CA.
import t, { type Test } from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRestServer } from '../../../../src/node/rest/index.js';
import { ListenError } from '../../../../src/node/tcp/errors.js';
import type { RestServerControl, RestServerInfo } from '../../../../src/node/ports/network.js';
import { createFakeNode } from '../../../helpers/fake-node.js';
import { freePort } from '../../../helpers/ports.js';
import { createAuthority, writeRestPemFiles, type Issued } from '../../../helpers/tls-certs.js';

const IP = '127.0.0.1';
const AGENT = { 'User-Agent': 'AnyLog/1.23' };

function address(port: number, extra: Partial<RestServerInfo> = {}): RestServerInfo {
  return {
    internalIp: IP,
    externalIp: IP,
    internalPort: port,
    externalPort: port,
    bind: true,
    threads: 2,
    timeoutSeconds: 5,
    ...extra,
  };
}

function stopAtEnd(t: Test, rest: RestServerControl): void {
  t.teardown(() => rest.stop());
}

/** The rejection of `p` (fails the test when it resolves). */
async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    if (err instanceof Error) return err;
    throw err;
  }
  throw new Error('expected a rejection');
}

/** A POST whose body goes in chunks (transfer-encoding: chunked): the socket front hands it to fastify. */
function chunkedPost(port: number, command: string, pieces: readonly string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: IP, port, method: 'POST', path: '/', headers: { ...AGENT, command }, agent: false },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    for (const piece of pieces) req.write(piece);
    req.end();
  });
}

function tlsGet(port: number, ca: string, client: Issued | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      {
        host: IP,
        port,
        path: '/',
        headers: { ...AGENT, command: 'get status' },
        agent: false,
        ca,
        ...(client === undefined ? {} : { cert: client.cert, key: client.key }),
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.setTimeout(10_000, () => req.destroy(new Error('request timeout')));
    req.on('error', reject);
    req.end();
  });
}

t.test('info() reports the running address and the current peer-reply timeout', async (t) => {
  const rest = createRestServer(createFakeNode().node);
  t.equal(rest.info(), undefined, 'not running');
  const port = await freePort();
  await rest.start(address(port, { timeoutSeconds: 7 }));
  stopAtEnd(t, rest);
  t.same(rest.info(), address(port, { timeoutSeconds: 7 }));
  rest.setTimeout(30);
  t.equal(rest.info()?.timeoutSeconds, 30, 'a changed timeout');
  await rest.stop();
  t.equal(rest.info(), undefined, 'stopped');
});

t.test('a second start while running is refused and changes nothing', async (t) => {
  const rest = createRestServer(createFakeNode().node);
  const port = await freePort();
  await rest.start(address(port));
  stopAtEnd(t, rest);
  const other = await freePort();
  const err = await rejection(rest.start(address(other)));
  t.type(err, ListenError);
  t.equal(err.message, `Failed to listen on ${IP}:${other}: already running`);
  t.equal(rest.info()?.internalPort, port, 'the first server is kept');
  t.equal(await chunkedPost(port, 'print x', ['a = 1']), 200, 'and serves');
});

t.test('a port in use fails the start, named with the address, and leaves nothing running', async (t) => {
  const port = await freePort();
  const holder = createServer();
  await new Promise<void>((resolve) => holder.listen(port, IP, resolve));
  t.teardown(() => new Promise<void>((resolve) => holder.close(() => resolve())));
  const rest = createRestServer(createFakeNode().node);
  stopAtEnd(t, rest);

  const bound = await rejection(rest.start(address(port)));
  t.type(bound, ListenError);
  t.equal(bound.message, `Failed to listen on ${IP}:${port}: EADDRINUSE`);
  // without bind the server listens on every IPv4 interface, which the port held on loopback blocks too
  const all = await rejection(rest.start(address(port, { bind: false })));
  t.equal(all.message, `Failed to listen on 0.0.0.0:${port}: EADDRINUSE`);
  t.equal(rest.info(), undefined, 'nothing runs');

  const free = await freePort();
  await rest.start(address(free));
  t.equal(rest.info()?.internalPort, free, 'a later start on a free port runs');
});

t.test("the server's body limit applies to the connections the fastify app serves", async (t) => {
  const rest = createRestServer(createFakeNode().node, { bodyLimit: 64 });
  const port = await freePort();
  await rest.start(address(port));
  stopAtEnd(t, rest);
  t.equal(await chunkedPost(port, 'print x', ['a = ', '1']), 200, 'under the limit');
  t.equal(await chunkedPost(port, 'print x', ['a = ', 'x'.repeat(100)]), 413, 'over the limit');
});

t.test('a TLS server serves clients with a certificate of its CA and refuses the others', async (t) => {
  const ca = await createAuthority('Acme CA');
  const server = await ca.issue({ commonName: 'node1', use: 'server', ips: [IP] });
  const client = await ca.issue({ commonName: 'operator', use: 'client' });
  const stranger = await (await createAuthority('Other CA')).issue({ commonName: 'operator', use: 'client' });
  const dir = mkdtempSync(join(tmpdir(), 'al-rest-tls-'));
  t.teardown(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  writeRestPemFiles(dir, 'acme', 'node1', ca, server);
  const tls = {
    caFile: join(dir, 'ca-acme-public-key.crt'),
    certFile: join(dir, 'server-node1-public-key.crt'),
    keyFile: join(dir, 'server-node1-private-key.key'),
  };
  const rest = createRestServer(createFakeNode().node);
  const port = await freePort();
  await rest.start(address(port, { tls }));
  stopAtEnd(t, rest);

  t.equal(await tlsGet(port, ca.cert, client), 200, 'a client of the CA');
  await t.rejects(tlsGet(port, ca.cert, undefined), 'a client without a certificate');
  await t.rejects(tlsGet(port, ca.cert, stranger), 'a client of another CA');
  await t.rejects(chunkedPost(port, 'print x', ['a = 1']), 'plain HTTP');
  t.equal(await tlsGet(port, ca.cert, client), 200, 'still serving');
});
