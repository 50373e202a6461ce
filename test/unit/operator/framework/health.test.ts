import { request } from 'node:http';
import t from 'tap';
import {
  LoopLagMonitor,
  checkRoute,
  parseBindAddress,
  serveRoutes,
} from '../../../../src/operator/framework/health.js';

function get(
  port: number,
  path: string,
  method = 'GET',
): Promise<{ status: number; body: string; type: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, timeout: 5000 }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, type: res.headers['content-type'] }));
    });
    req.on('error', reject);
    req.end();
  });
}

t.test('bind addresses', async (t) => {
  t.same(parseBindAddress(':8081'), { host: '0.0.0.0', port: 8081 });
  t.same(parseBindAddress('127.0.0.1:0'), { host: '127.0.0.1', port: 0 });
  t.equal(parseBindAddress('0'), undefined, '"0" disables the endpoint');
  t.throws(() => parseBindAddress(':99999'), { code: 'ERR_CONFIG_INVALID' });
});

t.test('probe routes answer 200 when healthy and 500 with the reason otherwise', async (t) => {
  let ready = false;
  const endpoint = await serveRoutes(
    { host: '127.0.0.1', port: 0 },
    {
      '/livez': checkRoute(() => ({ ok: true })),
      '/readyz': checkRoute(() =>
        ready ? { ok: true } : { ok: false, reason: 'caches not synced: widgets' },
      ),
      '/metrics': () => Promise.resolve({ status: 200, contentType: 'text/plain', body: 'm 1\n' }),
    },
  );
  t.teardown(() => endpoint.close());
  t.ok(endpoint.port > 0);
  t.same(await get(endpoint.port, '/livez'), { status: 200, body: 'ok\n', type: 'text/plain' });
  t.same(await get(endpoint.port, '/readyz'), {
    status: 500,
    body: 'caches not synced: widgets\n',
    type: 'text/plain',
  });
  ready = true;
  t.equal((await get(endpoint.port, '/readyz?verbose')).status, 200, 'query strings ignored');
  t.equal((await get(endpoint.port, '/metrics')).body, 'm 1\n');
  t.equal((await get(endpoint.port, '/nope')).status, 404);
});

t.test('the loop lag monitor reports a small lag on an idle loop', async (t) => {
  const m = new LoopLagMonitor(20);
  t.teardown(() => m.stop());
  await new Promise((r) => setTimeout(r, 80));
  t.ok(m.lagMs() < 1000);
});

t.test('bind addresses at the edges of the port range', async (t) => {
  t.equal(parseBindAddress(''), undefined, 'an empty address disables the endpoint');
  t.same(parseBindAddress(':65535'), { host: '0.0.0.0', port: 65535 });
  for (const bad of [':65536', ':-1', ':80.5', ':http', 'localhost']) {
    t.throws(() => parseBindAddress(bad), { code: 'ERR_CONFIG_INVALID' }, bad);
  }
  t.throws(() => parseBindAddress(':70000'), { message: /":70000"/ }, 'the message names the address');
});

t.test('only GET is served; routes set their content type; a failing route answers 500', async (t) => {
  const endpoint = await serveRoutes(
    { host: '127.0.0.1', port: 0 },
    {
      '/livez': checkRoute(() => ({ ok: false })),
      '/metrics': () =>
        Promise.resolve({ status: 200, contentType: 'text/plain; version=0.0.4', body: 'm 1\n' }),
      '/broken': () => Promise.reject(new Error('registry gone')),
    },
  );
  t.teardown(() => endpoint.close());
  t.same(await get(endpoint.port, '/livez', 'POST'), {
    status: 404,
    body: 'not found\n',
    type: 'text/plain',
  });
  t.same(await get(endpoint.port, '/livez'), { status: 500, body: 'failing\n', type: 'text/plain' });
  t.equal((await get(endpoint.port, '/metrics')).type, 'text/plain; version=0.0.4');
  t.same(await get(endpoint.port, '/broken'), { status: 500, body: 'registry gone\n', type: 'text/plain' });
});

t.test('a port already in use rejects instead of hanging', async (t) => {
  const first = await serveRoutes({ host: '127.0.0.1', port: 0 }, {});
  t.teardown(() => first.close());
  await t.rejects(serveRoutes({ host: '127.0.0.1', port: first.port }, {}), { code: 'EADDRINUSE' });
});

t.test('an idle loop has no lag, before and after ticks, whatever the interval', async (t) => {
  const m = new LoopLagMonitor(300);
  t.teardown(() => m.stop());
  t.ok(m.lagMs() < 150, `fresh monitor: ${m.lagMs()} ms`);
  await new Promise((r) => setTimeout(r, 700));
  t.ok(m.lagMs() < 150, `after two ticks: ${m.lagMs()} ms`);
});

t.test('a stopped monitor no longer ticks: its lag grows with the time since its last tick', async (t) => {
  const m = new LoopLagMonitor(50);
  await new Promise((r) => setTimeout(r, 120));
  m.stop();
  await new Promise((r) => setTimeout(r, 400));
  t.ok(m.lagMs() >= 250, `lag ${m.lagMs()} ms, 400 ms after stop on a 50 ms interval`);
});
