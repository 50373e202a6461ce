import { request } from 'node:http';
import t from 'tap';
import {
  LoopLagMonitor,
  checkRoute,
  parseBindAddress,
  serveRoutes,
} from '../../../../src/operator/framework/health.js';

function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', timeout: 5000 }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
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
  t.same(await get(endpoint.port, '/livez'), { status: 200, body: 'ok\n' });
  t.same(await get(endpoint.port, '/readyz'), { status: 500, body: 'caches not synced: widgets\n' });
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
