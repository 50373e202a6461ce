// Start-up cost guard: loading the REST server and serving a GET or a
// Content-Length POST through the socket front loads neither fastify nor node:http (whose ESM import also
// evaluates http2 and undici); the first request the front hands over (a chunked POST) loads fastify and
// is answered. Runs in a child process so the module list is clean.
import t from 'tap';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../../', import.meta.url));

const CHILD = `
import { registerHooks } from 'node:module';
const urls = [];
registerHooks({ load(url, ctx, next) { urls.push(url); return next(url, ctx); } });
const { createFakeNode } = await import('./test/helpers/fake-node.ts');
const { freePort } = await import('./test/helpers/ports.ts');
const fake = createFakeNode({ name: 'lazy' });
const port = await freePort();
await fake.node.rest.start({ internalIp: '127.0.0.1', externalIp: '127.0.0.1', internalPort: port,
  externalPort: port, bind: true, threads: 2, timeoutSeconds: 5 });
const { connect } = await import('node:net');
const ask = (text) => new Promise((resolve) => {
  const chunks = [];
  const s = connect({ host: '127.0.0.1', port }, () => s.write(text));
  s.on('data', (c) => chunks.push(c));
  s.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
});
const loaded = () => ({
  fastify: urls.some((u) => u.includes('/node_modules/fastify/')),
  http: process.moduleLoadList.includes('NativeModule http'),
});
const get = await ask('GET / HTTP/1.1\\r\\nHost: x\\r\\nUser-Agent: AnyLog/1.23\\r\\ncommand: get status\\r\\n\\r\\n');
const afterGet = loaded();
const post = await ask('POST / HTTP/1.1\\r\\nHost: x\\r\\nUser-Agent: AnyLog/1.23\\r\\ncommand: print !v\\r\\ncontent-length: 5\\r\\n\\r\\nv = p');
const afterPost = loaded();
const chunked = await ask('POST / HTTP/1.1\\r\\nHost: x\\r\\nUser-Agent: AnyLog/1.23\\r\\ncommand: print !c\\r\\ntransfer-encoding: chunked\\r\\n\\r\\n5\\r\\nc = q\\r\\n0\\r\\n\\r\\n');
const afterChunked = loaded();
await fake.node.rest.stop();
process.stdout.write(JSON.stringify({ get, afterGet, post, afterPost, chunked, afterChunked }));
`;

t.test(
  'GET and POST through the front load neither fastify nor node:http; a chunked POST loads fastify',
  async (t) => {
    const out = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', '--input-type=module', '-e', CHILD],
        { cwd: root, timeout: 60_000 },
        (err, stdout, stderr) => {
          if (err !== null) reject(new Error(`${err.message}\n${stderr}`));
          else resolve(stdout);
        },
      );
    });
    const r = JSON.parse(out) as {
      get: string;
      afterGet: { fastify: boolean; http: boolean };
      post: string;
      afterPost: { fastify: boolean; http: boolean };
      chunked: string;
      afterChunked: { fastify: boolean; http: boolean };
    };
    t.match(r.get, /^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\nlazy@127\.0\.0\.1:0 running$/);
    t.same(r.afterGet, { fastify: false, http: false }, 'nothing heavy loaded for a GET');
    t.match(r.post, /^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\np$/, 'POST body ran before the command');
    t.same(r.afterPost, { fastify: false, http: false }, 'nothing heavy loaded for a Content-Length POST');
    t.match(r.chunked, /^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\nq$/, 'chunked POST answered by the fastify app');
    t.same(r.afterChunked, { fastify: true, http: true }, 'fastify and node:http loaded on first need');
  },
);
