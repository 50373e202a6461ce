// The REST socket front (rest/index.ts + http/front.ts + http/wire.ts): over a real socket,
// every request shape answers exactly what the fastify app answers through inject (status, headers,
// body) whether the front serves it or hands the connection over; keep-alive pipelining (POSTs too),
// heads and bodies split across packets, client half-close, idle keep-alive timeout, stop while a
// command runs; parseHead.
import t, { type Test } from 'tap';
import { connect } from 'node:net';
import { buildApp } from '../../../../src/node/rest/app.js';
import { STATUS_CODES } from 'node:http';
import {
  answerBytes,
  BODY_LIMIT,
  parseHead,
  MAX_HEAD_BYTES,
  type ParsedHead,
} from '../../../../src/node/http/wire.js';
import { textAnswer } from '../../../../src/node/rest/handling.js';
import { statusFor } from '../../../../src/node/rest/responses.js';
import { knownStatusCodes } from '../../../../src/contract/status-codes.js';
import { HttpFront, type FrontAnswer } from '../../../../src/node/http/front.js';
import { ConcurrencyLimiter } from '../../../../src/node/http/limiter.js';
import { createFakeNode, startFakeRest } from '../../../helpers/fake-node.js';
import { freePort } from '../../../helpers/ports.js';

const HOST = '127.0.0.1';

interface Parsed {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Send raw bytes (optionally in pieces), read until the server closes or `timeoutMs`; with `timeoutMs`
 * Infinity, until the server closes however long that takes.
 */
function exchange(
  port: number,
  pieces: readonly (string | Buffer)[],
  opts: { timeoutMs?: number; gapMs?: number; halfClose?: boolean } = {},
): Promise<{ raw: Buffer; closed: boolean }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const sock = connect({ host: HOST, port }, () => {
      let i = 0;
      const next = (): void => {
        const piece = pieces[i++];
        if (piece === undefined) {
          if (opts.halfClose === true) sock.end();
          return;
        }
        sock.write(piece);
        if (opts.gapMs === undefined) next();
        else setTimeout(next, opts.gapMs);
      };
      next();
    });
    const timeoutMs = opts.timeoutMs ?? 3000;
    const timer =
      timeoutMs === Number.POSITIVE_INFINITY
        ? undefined
        : setTimeout(() => {
            sock.destroy();
            resolve({ raw: Buffer.concat(chunks), closed: false });
          }, timeoutMs);
    sock.on('data', (c: Buffer) => chunks.push(c));
    sock.on('error', () => undefined);
    sock.on('close', () => {
      clearTimeout(timer);
      resolve({ raw: Buffer.concat(chunks), closed: true });
    });
  });
}

/** Split a byte stream of HTTP/1.1 responses (Content-Length framed or bodiless 204/400). */
function responses(raw: Buffer): Parsed[] {
  const out: Parsed[] = [];
  let at = 0;
  while (at < raw.length) {
    const end = raw.indexOf('\r\n\r\n', at, 'latin1');
    if (end < 0) break;
    const lines = raw.toString('latin1', at, end).split('\r\n');
    const status = Number((lines[0] ?? '').split(' ')[1]);
    const headers: Record<string, string> = {};
    for (const line of lines.slice(1)) {
      const c = line.indexOf(':');
      headers[line.slice(0, c).toLowerCase()] = line.slice(c + 1).trim();
    }
    const len = Number(headers['content-length'] ?? '0');
    out.push({ status, headers, body: raw.toString('utf8', end + 4, end + 4 + len) });
    at = end + 4 + len;
  }
  return out;
}

function request(method: string, headers: Record<string, string>, url = '/'): string {
  const lines = [`${method} ${url} HTTP/1.1`, `Host: ${HOST}`];
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

async function server(t: Test) {
  const fake = createFakeNode({ name: 'master-node' });
  const port = await startFakeRest(t, fake);
  const app = buildApp({ node: fake.node, limiter: new ConcurrencyLimiter(4, 100), timeoutSeconds: () => 5 });
  t.teardown(() => app.close());
  return { fake, port, app };
}

const AL = { 'User-Agent': 'AnyLog/1.23' };

const CASES: readonly {
  name: string;
  method: 'GET' | 'OPTIONS' | 'POST' | 'PUT' | 'DELETE';
  url?: string;
  headers: Record<string, string>;
  body?: string;
}[] = [
  { name: 'get status', method: 'GET', headers: { ...AL, command: 'get status' } },
  { name: 'json content type', method: 'GET', headers: { ...AL, command: 'get processes' } },
  { name: 'empty result', method: 'GET', headers: { ...AL, command: 'get nothing' } },
  { name: 'unknown command', method: 'GET', headers: { ...AL, command: 'get bogus thing' } },
  { name: 'wrong method', method: 'GET', headers: { ...AL, command: 'set node name x' } },
  { name: 'curl without command', method: 'GET', headers: { 'User-Agent': 'curl/8.5.0' } },
  { name: 'browser ping', method: 'GET', headers: { 'User-Agent': 'Mozilla/5.0', command: 'get status' } },
  { name: 'AnyLog without command', method: 'GET', headers: AL },
  {
    name: 'AnyLog-Agent overrides',
    method: 'GET',
    headers: { 'AnyLog-Agent': 'AnyLog/1.0', command: 'get status' },
  },
  { name: 'URL form', method: 'GET', url: '/?User-Agent=AnyLog/1.23?command=get%20status', headers: {} },
  { name: 'health', method: 'GET', url: '/api/status', headers: { 'User-Agent': 'kube-probe/1.31' } },
  { name: 'mcp', method: 'GET', url: '/mcp/sse', headers: AL },
  { name: 'options', method: 'OPTIONS', headers: {} },
  { name: 'spaces around values', method: 'GET', headers: { ...AL, command: '  get echo   spaced  ' } },
  { name: 'utf-8 header value', method: 'GET', headers: { ...AL, command: 'get echo caf\u00c3\u00a9' } },
  { name: 'POST with body lines', method: 'POST', headers: { ...AL, command: 'print !b' }, body: 'b = 7' },
  { name: 'POST without a body', method: 'POST', headers: { ...AL, command: 'print empty' }, body: '' },
  {
    name: 'POST without a body, typed',
    method: 'POST',
    headers: { ...AL, command: 'print typed', 'Content-Type': 'text/plain' },
    body: '',
  },
  {
    name: 'POST JSON form',
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: '{"command": "print from json", "User-Agent": "AnyLog/1.23"}',
  },
  {
    name: 'POST typed with parameters',
    method: 'POST',
    headers: { ...AL, command: 'print !p', 'Content-Type': 'text/plain; charset="utf-8"' },
    body: 'p = typed with parameters',
  },
  {
    name: 'POST octet-stream body is not script',
    method: 'POST',
    headers: { ...AL, command: 'print octet', 'Content-Type': 'application/octet-stream' },
    body: 'x = 1',
  },
  { name: 'POST a GET command', method: 'POST', headers: { ...AL, command: 'get status' }, body: '' },
  { name: 'POST unknown agent', method: 'POST', headers: { 'User-Agent': 'x/1', command: 'p' }, body: '' },
  {
    name: 'POST bad body line',
    method: 'POST',
    headers: { ...AL, command: 'print ok' },
    body: 'bogus line here',
  },
  {
    name: 'POST empty content type (handed over)',
    method: 'POST',
    headers: { ...AL, command: 'print e', 'Content-Type': '' },
    body: 'e = 1',
  },
  {
    name: 'POST malformed content type (handed over)',
    method: 'POST',
    headers: { ...AL, command: 'print m', 'Content-Type': 'text/' },
    body: 'm = 1',
  },
  { name: 'PUT (handed over)', method: 'PUT', headers: AL },
  { name: 'DELETE (handed over)', method: 'DELETE', headers: AL },
];

t.test('front and fastify answer the same', async (t) => {
  const { port, app } = await server(t);
  for (const c of CASES) {
    const body = c.body ?? '';
    const headers = {
      ...c.headers,
      ...(c.body === undefined ? {} : { 'Content-Length': String(body.length) }),
    };
    const wire = `${request(c.method, headers, c.url)}${body}`;
    const got = await exchange(port, [Buffer.from(wire, 'latin1')]);
    const [real] = responses(got.raw);
    const injected = await app.inject({
      method: c.method,
      url: c.url ?? '/',
      headers: Object.fromEntries(
        Object.entries({ ...headers, host: HOST }).map(([k, v]) => [
          k,
          Buffer.from(v, 'latin1').toString('latin1'),
        ]),
      ),
      ...(c.body === undefined ? {} : { payload: body }),
    });
    if (real === undefined) {
      t.fail(`${c.name}: no response`);
      continue;
    }
    t.equal(real.status, injected.statusCode, `${c.name}: status`);
    const want = injected.body;
    t.equal(real.body, want, `${c.name}: body`);
    for (const h of ['content-type', 'connection', 'allow', 'access-control-allow-origin', 'vary']) {
      const w = injected.headers[h];
      t.equal(real.headers[h], w === undefined ? undefined : String(w), `${c.name}: ${h}`);
    }
    t.ok(got.closed, `${c.name}: connection closed after a close answer`);
    t.match(real.headers['date'] ?? '', /GMT$/, `${c.name}: Date`);
  }
});

t.test('keep-alive: pipelined requests answer in order; close ends the connection', async (t) => {
  const { port } = await server(t);
  const ka = { ...AL, Connection: 'keep-alive' };
  const wire =
    request('GET', { ...ka, command: 'get slow 30' }) +
    request('GET', { ...ka, command: 'get echo two' }) +
    request('GET', { ...ka, command: 'get bogus' }) +
    request('GET', { ...AL, command: 'get echo last' }) +
    request('GET', { ...AL, command: 'get echo ignored' });
  const got = await exchange(port, [wire]);
  const rs = responses(got.raw);
  t.same(
    rs.map((r) => [r.status, r.body.slice(0, 9), r.headers['connection']]),
    [
      [200, 'slow done', 'keep-alive'],
      [200, 'two', 'keep-alive'],
      [400, '{"method"', 'keep-alive'],
      [200, 'last', 'close'],
    ],
  );
  t.ok(got.closed, 'closed after the close answer; later requests ignored');
  const open = await exchange(port, [request('GET', { ...ka, command: 'get echo a' })], { timeoutMs: 400 });
  t.equal(responses(open.raw)[0]?.body, 'a');
  t.notOk(open.closed, 'a keep-alive connection stays open');
});

t.test('heads split across packets, client half-close, missing Host, HTTP/1.0', async (t) => {
  const { port } = await server(t);
  const wire = request('GET', { ...AL, command: 'get echo split' });
  const pieces = [wire.slice(0, 5), wire.slice(5, 30), wire.slice(30, wire.length - 1), wire.slice(-1)];
  const split = await exchange(port, pieces, { gapMs: 20 });
  t.equal(responses(split.raw)[0]?.body, 'split');
  const half = await exchange(
    port,
    [request('GET', { ...AL, command: 'get slow 30', Connection: 'keep-alive' })],
    {
      halfClose: true,
    },
  );
  t.equal(responses(half.raw)[0]?.body, 'slow done', 'answered after the client half-closed');
  t.ok(half.closed);
  const noHost = await exchange(port, [
    'GET / HTTP/1.1\r\nUser-Agent: AnyLog/1.23\r\ncommand: get status\r\n\r\n',
  ]);
  t.equal(responses(noHost.raw)[0]?.status, 400, "node:http's answer to a missing Host");
  const old = await exchange(port, [
    'GET / HTTP/1.0\r\nUser-Agent: AnyLog/1.23\r\ncommand: get echo old\r\n\r\n',
  ]);
  t.equal(responses(old.raw)[0]?.body, 'old', 'HTTP/1.0 handed over and answered');
  const partial = await exchange(port, ['GET / HTTP/1.1\r\nHost: x\r\n'], {
    halfClose: true,
    timeoutMs: 1000,
  });
  t.ok(partial.closed, 'a partial head then FIN closes');
  t.equal(responses(partial.raw)[0]?.status, 400, "node:http's answer to a cut-off head");
  const bad = await exchange(port, ['GET / HTTP/1.1\r\nHo\x00'], { timeoutMs: 1000 });
  t.equal(responses(bad.raw)[0]?.status, 400, 'a head gone wrong is answered before its blank line');
});

t.test('POST bodies split across packets; handed-over requests; the front keeps serving', async (t) => {
  const { port } = await server(t);
  const body = 'w = 1\nprint pieces';
  const head = request('POST', { ...AL, command: 'print !w', 'Content-Length': String(body.length) });
  const pieces = await exchange(port, [head.slice(0, 20), head.slice(20), body.slice(0, 4), body.slice(4)], {
    gapMs: 30,
  });
  t.equal(responses(pieces.raw)[0]?.body, '1', 'a body arriving in pieces is waited for');
  const ka = { ...AL, Connection: 'keep-alive' };
  const pipelined = await exchange(port, [
    request('POST', { ...ka, command: 'print !k', 'Content-Length': '5' }) +
      'k = 1' +
      request('POST', { ...ka, command: 'print !k', 'Content-Length': '5' }) +
      'k = 2' +
      request('GET', { ...AL, command: 'get echo !k' }),
  ]);
  t.same(
    responses(pipelined.raw).map((r) => r.body),
    ['1', '2', '2'],
    'pipelined POSTs run their bodies in order (body lines set node variables)',
  );
  const chunkedHead = request('POST', { ...AL, command: 'print !c', 'Transfer-Encoding': 'chunked' });
  const chunked = await exchange(
    port,
    [chunkedHead.slice(0, 20), chunkedHead.slice(20), '5\r\nc = 3\r\n', '0\r\n\r\n'],
    {
      gapMs: 30,
    },
  );
  t.equal(
    responses(chunked.raw)[0]?.body,
    '3',
    'a chunked POST is handed over; bytes arriving while the fastify app loads reach it in order',
  );
  const big = 'x'.repeat(1024 * 1024 + 1);
  const tooBig = await exchange(port, [
    request('POST', { ...AL, command: 'print big', 'Content-Length': String(big.length) }) + big,
  ]);
  t.equal(responses(tooBig.raw)[0]?.status, 413, 'a body over the limit is handed over: 413');
  const posts = await Promise.all(
    Array.from({ length: 5 }, (_, i) =>
      exchange(port, [request('POST', { ...AL, command: 'print !v', 'Content-Length': '5' }) + `v = ${i}`]),
    ),
  );
  posts.forEach((p, i) => t.equal(responses(p.raw)[0]?.body, String(i), `post ${i}`));
  const gets = await Promise.all(
    Array.from({ length: 20 }, () => exchange(port, [request('GET', { ...AL, command: 'get status' })])),
  );
  t.ok(gets.every((g) => responses(g.raw)[0]?.body === 'master-node@127.0.0.1:0 running'));
});

t.test('idle keep-alive connections close; stop lets a running command answer', async (t) => {
  const port = await freePort();
  let release: () => void = () => undefined;
  const gate = new Promise<void>((r) => (release = r));
  const answer = (keepAlive: boolean) => ({
    bytes: Buffer.from('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok'),
    keepAlive,
  });
  // Closes are awaited without a time limit: a connection the front failed to close leaves the test
  // waiting until it times out. Only lower bounds are timed, and the stop grace is one no test reaches,
  // so the busy connection below can only close because its answer was written.
  const front = new HttpFront<ParsedHead, FrontAnswer>({
    encode: (a) => a,
    idleMs: 300,
    headMs: 1500,
    stopGraceMs: 600_000,
    parse: parseHead,
    bodyLimit: BODY_LIMIT,
    serve: (head) => (head.headers['command'] === 'slow' ? gate.then(() => answer(true)) : answer(true)),
    fallback: () => Promise.reject(new Error('no fallback')),
    onError: () => undefined,
  });
  await front.listen(HOST, port, 16);
  const started = Date.now();
  const idle = await exchange(port, [request('GET', { command: 'fast' })], { timeoutMs: Infinity });
  t.ok(idle.closed, 'closed by the idle sweep');
  t.ok(Date.now() - started >= 250, 'not before the idle timeout');
  t.equal(responses(idle.raw)[0]?.body, 'ok');
  const silentStart = Date.now();
  const silent = await exchange(port, [], { timeoutMs: Infinity });
  t.ok(silent.closed, 'a connection that never sends is closed');
  t.ok(Date.now() - silentStart >= 1400, 'by the head timeout, not the keep-alive idle timeout');
  const busy = exchange(port, [request('GET', { command: 'slow' })], { timeoutMs: Infinity });
  await new Promise((r) => setTimeout(r, 100));
  const closing = front.close();
  setTimeout(release, 100);
  const got = await busy;
  await closing;
  t.equal(responses(got.raw)[0]?.body, 'ok', 'the running command answered');
  t.ok(got.closed, 'then the connection closed although the answer said keep-alive');
});

t.test('parseHead', async (t) => {
  const head = (s: string) => parseHead(Buffer.from(s, 'latin1'), 0);
  t.equal(head('GET / HTTP/1.1\r\nHost: a\r\n').kind, 'incomplete');
  const ok = head(
    'GET /?x=1 HTTP/1.1\r\nHost: a\r\nCommand:\t get  status \t\r\ncontent-length: 0\r\n\r\nNEXT',
  );
  t.match(ok, {
    kind: 'request',
    method: 'GET',
    url: '/?x=1',
    headers: { host: 'a', command: 'get  status' },
  });
  t.equal(ok.kind === 'request' ? ok.end : -1, 75);
  const slow = [
    'POST / HTTP/1.1\r\nHost: a\r\n\r\n',
    'HEAD / HTTP/1.1\r\nHost: a\r\n\r\n',
    'GET / HTTP/1.0\r\nHost: a\r\n\r\n',
    'GET http://a/ HTTP/1.1\r\nHost: a\r\n\r\n',
    'GET / HTTP/1.1\r\n\r\n',
    'GET / HTTP/1.1\r\nHost: a\r\ncontent-length: 3\r\n\r\n',
    'GET / HTTP/1.1\r\nHost: a\r\ntransfer-encoding: chunked\r\n\r\n',
    'GET / HTTP/1.1\r\nHost: a\r\nexpect: 100-continue\r\n\r\n',
    'GET / HTTP/1.1\r\nHost: a\r\nupgrade: websocket\r\n\r\n',
    'GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n',
    'GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n',
    'GET / HTTP/1.1\r\nHost: a\r\nbad name: x\r\n\r\n',
    'GET / HTTP/1.1\r\nHost: a\r\nx: a\x01b\r\n\r\n',
    'GET / HTTP/1.1\r\nHost: a\r\nx: a\nb\r\n\r\n',
    'GET / HTTP/1.1\r\nHost: a\r\nconstructor: x\r\n\r\n',
    'GET / HTTP/1.1\r\nHost: a\r\n__proto__: x\r\n\r\n',
    `GET / HTTP/1.1\r\nHost: a\r\nx: ${'y'.repeat(MAX_HEAD_BYTES)}\r\n\r\n`,
    `GET / HTTP/1.1\r\nHost: a\r\nx: ${'y'.repeat(MAX_HEAD_BYTES)}`,
  ];
  for (const s of slow) t.equal(head(s).kind, 'slow', JSON.stringify(s.slice(0, 60)));
  const again = parseHead(
    Buffer.from(
      'XXXXGET /?x=1 HTTP/1.1\r\nHost: a\r\nCommand:\t get  status \t\r\ncontent-length: 0\r\n\r\n',
      'latin1',
    ),
    4,
  );
  const other = head('GET /?x=1 HTTP/1.1\r\nHost: a\r\nCommand: get processes\r\ncontent-length: 0\r\n\r\n');
  if (ok.kind === 'request' && again.kind === 'request' && other.kind === 'request') {
    t.equal(again.headers, ok.headers, 'a repeated head shares its parsed headers');
    t.ok(Object.isFrozen(ok.headers), 'shared headers are frozen');
    t.equal(again.decoded, ok.decoded, 'and its decoded headers');
    t.equal(ok.decoded['command'], 'get  status', 'decoded as the REST rules read them');
    t.equal(other.headers['command'], 'get processes', 'a different head is parsed on its own');
    t.equal(again.end, 79, 'offsets come from this buffer');
  } else t.fail('heads not parsed');
  const post = (s: string, limit = 10) => parseHead(Buffer.from(s, 'latin1'), 0, limit);
  t.equal(post('POST / HTTP/1.1\r\nHost: a\r\ncontent-length: 5\r\n\r\nabc').kind, 'incomplete');
  const full = post('POST / HTTP/1.1\r\nHost: a\r\ncontent-length: 5\r\n\r\nabcdeNEXT');
  t.equal(full.kind === 'request' ? `${full.body?.toString() ?? '-'} ${full.end}` : 'none', 'abcde 52');
  const bare = post('POST / HTTP/1.1\r\nHost: a\r\ncontent-length: 0\r\n\r\n');
  t.equal(bare.kind === 'request' ? bare.body : 'none', undefined, 'no body and no type: no body');
  const typed = post('POST / HTTP/1.1\r\nHost: a\r\ncontent-type: text/plain\r\ncontent-length: 0\r\n\r\n');
  t.equal(typed.kind === 'request' ? typed.body?.length : 'none', 0, 'a typed empty body is a buffer');
  const slowPosts = [
    'POST / HTTP/1.1\r\nHost: a\r\ncontent-length: 11\r\n\r\n',
    'POST / HTTP/1.1\r\nHost: a\r\ncontent-length: +5\r\n\r\nabcde',
    'POST / HTTP/1.1\r\nHost: a\r\ncontent-length: 5, 5\r\n\r\nabcde',
    'POST / HTTP/1.1\r\nHost: a\r\ncontent-length: 5\r\ncontent-length: 5\r\n\r\nabcde',
    'POST / HTTP/1.1\r\nHost: a\r\ncontent-length: 5\r\ntransfer-encoding: chunked\r\n\r\nabcde',
    'POST / HTTP/1.1\r\nHost: a\r\ncontent-length: 5\r\ncontent-type: \r\n\r\nabcde',
    'POST / HTTP/1.1\r\nHost: a\r\ncontent-length: 5\r\ncontent-type: text\r\n\r\nabcde',
    'POST / HTTP/1.1\r\nHost: a\r\ncontent-length: 5\r\ncontent-type: a/b; c\r\n\r\nabcde',
  ];
  for (const s of slowPosts) t.equal(post(s).kind, 'slow', JSON.stringify(s.slice(26, 90)));
  const second = Buffer.from(
    'GET /a HTTP/1.1\r\nHost: a\r\n\r\nGET /b HTTP/1.1\r\nHost: a\r\n\r\n',
    'latin1',
  );
  const first = parseHead(second, 0);
  t.equal(first.kind === 'request' ? parseHead(second, first.end).kind : 'none', 'request');
});

t.test('status lines use node:http reason phrases for every status a code maps to', async (t) => {
  const statuses = new Set([200, 204, 409, ...knownStatusCodes().map((c) => statusFor(c, undefined))]);
  for (const status of statuses) {
    const bytes = answerBytes({ status, headers: {}, body: '', keepAlive: false });
    t.equal(bytes.toString('latin1').split('\r\n')[0], `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`);
  }
  const wire = answerBytes(textAnswer('{"a": "é"}', true)).toString('utf8');
  t.match(wire, /^HTTP\/1\.1 200 OK\r\nconnection: keep-alive\r\n/);
  t.match(wire, /content-type: text\/json\r\ncontent-length: 11\r\nDate: .* GMT\r\n\r\n\{"a": "é"\}$/);
});
