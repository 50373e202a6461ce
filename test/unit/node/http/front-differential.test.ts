// Differential fuzz of the REST socket front against node:http's parser (llhttp): seeded request streams
// with the smuggling and desynchronisation classes (test/helpers/http-fuzz-inputs.ts). For every stream
// the front serves only requests llhttp splits out of the same bytes, identical, and hands over the rest
// untouched (test/helpers/front-differential.ts); a sample is also fed in two pieces cut at every byte,
// and a smaller share goes end to end over loopback: the front's answers equal, byte for byte but the
// Date header, node:http's answers to the requests it served followed by the fallback app's answers to
// the bytes it handed over. FUZZ_COUNT (default 20,000) and FUZZ_SEED run it longer or elsewhere
// (npm run fuzz:http runs 1,000,000).
import t from 'tap';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { buildApp } from '../../../../src/node/rest/app.js';
import { parseHead } from '../../../../src/node/http/wire.js';
import { ConcurrencyLimiter } from '../../../../src/node/http/limiter.js';
import { createFakeNode, startFakeRest } from '../../../helpers/fake-node.js';
import { divergence, frontRun, type HeadParser } from '../../../helpers/front-differential.js';
import { referenceParse } from '../../../helpers/llhttp-reference.js';
import { httpFuzzStreams, type FuzzStream } from '../../../helpers/http-fuzz-inputs.js';

const COUNT = Number(process.env['FUZZ_COUNT'] ?? 20_000);
const SEED = Number(process.env['FUZZ_SEED'] ?? 20261206);
/** Every SPLIT_EVERY-th stream is also cut in two at every byte (at most 512 cuts). */
const SPLIT_EVERY = 500;
/** Every E2E_EVERY-th stream also goes over real sockets. */
const E2E_EVERY = 400;
const HOST = '127.0.0.1';

const show = (s: FuzzStream): string =>
  `${s.classes.join(',')} ${JSON.stringify(s.bytes.toString('latin1'))}`;

/** Streams the fuzz once found the front wrong on, kept as fixed cases (end to end: they concern answers). */
const REGRESSIONS: readonly string[] = [
  // a head cut off by the client's FIN: node:http answers 400, the front used to close silently
  'GET / HTTP/1.1\r\nHost: x\r\n',
  'GE',
  // a head that can no longer match: node:http answers 400 at once, the front used to wait for more
  'GET / HTTP/1.1\r\nHo\x00',
  'GET / HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\nGET /\x7f',
];

t.test('the check catches a front that splits or reads requests differently', async (t) => {
  const wire = Buffer.from(
    'POST / HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\nContent-Length: 3\r\n\r\nabc' +
      'GET / HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n',
    'latin1',
  );
  t.equal(divergence(wire), undefined, 'the real front agrees');
  const shifted: HeadParser = (buf, start) => {
    const r = parseHead(buf, start);
    return r.kind === 'request' ? { ...r, end: r.end - 1 } : r;
  };
  t.match(divergence(wire, [wire], shifted), /./, 'a boundary one byte early is found');
  const noBody: HeadParser = (buf, start) => {
    const r = parseHead(buf, start);
    return r.kind === 'request' && r.body !== undefined
      ? { ...r, end: r.end - r.body.length, body: undefined }
      : r;
  };
  t.match(divergence(wire, [wire], noBody), /./, 'a body left in the stream is found');
  const lower: HeadParser = (buf, start) => {
    const r = parseHead(buf, start);
    return r.kind === 'request' ? { ...r, url: `${r.url}x` } : r;
  };
  t.match(divergence(wire, [wire], lower), /target/, 'a different target is found');
  const smuggle = Buffer.from(
    'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\na',
    'latin1',
  );
  const lax: HeadParser = (buf, start) => {
    const blank = buf.indexOf('\r\n\r\n', start, 'latin1');
    if (blank < 0) return { kind: 'incomplete' };
    const r = parseHead(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'), 0);
    return r.kind === 'request' ? { ...r, end: blank + 5 } : r;
  };
  t.match(divergence(smuggle, [smuggle], lax), /llhttp/, 'serving a request llhttp rejects is found');
});

t.test(`${COUNT} seeded streams: the front agrees with llhttp or hands over (seed ${SEED})`, async (t) => {
  const failures: string[] = [];
  const classes = new Set<string>();
  const outcomes: Record<string, number> = {};
  let served = 0;
  let splits = 0;
  let i = 0;
  const started = performance.now();
  for (const stream of httpFuzzStreams(COUNT, SEED)) {
    for (const c of stream.classes) classes.add(c);
    const run = frontRun([stream.bytes]);
    served += run.served.length;
    outcomes[run.outcome] = (outcomes[run.outcome] ?? 0) + 1;
    const whole = divergence(stream.bytes);
    if (whole !== undefined) failures.push(`${whole}: ${show(stream)}`);
    if (i % SPLIT_EVERY === 0) {
      // every byte; heads near the 16 KiB limit at 512 evenly spaced cuts
      const stride = Math.max(1, Math.ceil(stream.bytes.length / 512));
      for (let cut = 1; cut < stream.bytes.length; cut += stride) {
        splits++;
        const pieces = [stream.bytes.subarray(0, cut), stream.bytes.subarray(cut)];
        const split = divergence(stream.bytes, pieces);
        if (split !== undefined) failures.push(`cut at ${cut}: ${split}: ${show(stream)}`);
      }
    }
    i++;
    if (failures.length >= 10) break;
  }
  t.comment(
    `${i} streams, ${splits} two-piece feeds, ${served} requests served by the front, outcomes ${JSON.stringify(outcomes)}, ${Math.round(performance.now() - started)} ms`,
  );
  t.same(failures, [], 'no stream where the front and llhttp differ');
  t.ok(served > COUNT / 10, 'the streams reach requests the front serves, not only hand-overs');
  t.ok((outcomes['slow'] ?? 0) > COUNT / 10, 'and streams it hands over');
  t.ok(classes.size >= 16, `every damage class occurs (${[...classes].join(', ')})`);
});

/** Write `bytes`, half-close, collect everything the server sends until it closes. */
function exchange(port: number, bytes: Buffer): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const sock = connect({ host: HOST, port, allowHalfOpen: true }, () => {
      if (bytes.length > 0) sock.write(bytes);
      sock.end();
    });
    const timer = setTimeout(() => sock.destroy(), 5000);
    sock.on('data', (c: Buffer) => chunks.push(c));
    sock.on('error', () => undefined);
    sock.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks));
    });
  });
}

const withoutDate = (raw: Buffer): string => raw.toString('latin1').replace(/\r\nDate: [^\r]*/g, '');

t.test('end to end over loopback: the front answers as node:http and the fallback would', async (t) => {
  const fake = createFakeNode({ name: 'master-node' });
  const port = await startFakeRest(t, fake);
  const listen = async (keepAlive: 'never' | 'on-request'): Promise<number> => {
    const app = buildApp({
      node: fake.node,
      limiter: new ConcurrencyLimiter(4, 100),
      timeoutSeconds: () => 5,
      keepAlive,
    });
    t.teardown(() => app.close());
    await app.listen({ host: HOST, port: 0 });
    return (app.server.address() as AddressInfo).port;
  };
  // node:http with the REST rules for the requests the front serves; the fallback app for the rest
  const served = await listen('on-request');
  const fallback = await listen('never');
  const streams = [
    ...REGRESSIONS.map((text) => ({ bytes: Buffer.from(text, 'latin1'), classes: ['regression'] })),
    ...[...httpFuzzStreams(COUNT, SEED)].filter((_, i) => i % E2E_EVERY === 0),
  ];
  const failures: string[] = [];
  let raced = 0;
  for (const stream of streams) {
    const run = frontRun([stream.bytes]);
    const head =
      run.served.length === 0
        ? Buffer.alloc(0)
        : await exchange(served, stream.bytes.subarray(0, run.servedEnd));
    const rest =
      run.outcome === 'slow' || run.outcome === 'waiting'
        ? await exchange(fallback, stream.bytes.subarray(run.servedEnd))
        : Buffer.alloc(0);
    const actual = withoutDate(await exchange(port, stream.bytes));
    const after = referenceParse(stream.bytes.subarray(run.servedEnd));
    if (rest.length > 0 && after.requests.length > 0 && after.end !== 'clean') {
      // A complete request then bad or cut-off bytes, handed over: node:http itself answers either the
      // request or a 400 first, depending on whether its answer is ready before it parses the bad bytes
      // (reading the socket itself it usually is; given the bytes at once it is not). Only the answers
      // the front gave are compared.
      raced++;
      const mine = withoutDate(head);
      if (!actual.startsWith(mine))
        failures.push(
          `${show(stream)}\n  front: ${JSON.stringify(actual)}\n  node:http first: ${JSON.stringify(mine)}`,
        );
      continue;
    }
    const expected = withoutDate(Buffer.concat([head, rest]));
    if (actual !== expected)
      failures.push(
        `${show(stream)}\n  front: ${JSON.stringify(actual)}\n  node:http: ${JSON.stringify(expected)}`,
      );
    if (failures.length >= 5) break;
  }
  t.comment(`${streams.length} streams end to end, ${raced} compared up to the hand-over`);
  t.same(failures, [], 'every stream answered alike');
});
