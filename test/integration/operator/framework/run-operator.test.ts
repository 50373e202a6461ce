// The composition root against the real API server: runOperator loads settings from an environment
// snapshot, registers the AnyLogMaster controller, serves /readyz, /livez and /metrics, runs workers
// without leader election, stops on its abort signal with exit code 0, and returns 2 for bad settings.
import { createServer, request } from 'node:http';
import t from 'tap';
import { buildCrd } from '../../../../src/api/crd.js';
import type { KubeObject } from '../../../../src/operator/framework/kube.js';
import { runOperator } from '../../../../src/operator/main.js';
import { CRDS, FM, newClient, requireKubeconfig, testNamespace, waitFor } from './fixtures/cluster.js';

const { kube } = newClient();

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address !== null ? address.port : 0;
}

function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, timeout: 5000 }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', () => resolve({ status: 0, body: '' }));
    req.end();
  });
}

t.test('runOperator serves probes and metrics, runs until stopped and exits 0', async (t) => {
  const kubeconfig = requireKubeconfig();
  const ns = await testNamespace(t, kube, 'fw-run');
  await kube.createIfAbsent(CRDS, buildCrd() as unknown as KubeObject, FM);
  const [health, metrics] = [await freePort(), await freePort()];
  const stop = new AbortController();
  const running = runOperator([], {
    env: {
      KUBECONFIG: kubeconfig,
      WATCH_NAMESPACES: ns,
      LEADER_ELECTION: 'false',
      METRICS_BIND_ADDRESS: `127.0.0.1:${metrics}`,
      HEALTH_PROBE_BIND_ADDRESS: `127.0.0.1:${health}`,
      LOG_LEVEL: 'silent',
      SHUTDOWN_TIMEOUT_SECONDS: '5',
    },
    signal: stop.signal,
  });
  t.teardown(async () => {
    stop.abort();
    await running;
  });
  await waitFor(
    '/readyz ok (all caches synced)',
    60_000,
    async () => (await get(health, '/readyz')).status === 200,
  );
  t.equal((await get(health, '/livez')).status, 200);
  await waitFor('workers started', 10_000, async () =>
    (await get(metrics, '/metrics')).body.includes(
      'controller_runtime_max_concurrent_reconciles{controller="anylogmaster"} 4',
    ),
  );
  const text = (await get(metrics, '/metrics')).body;
  t.match(text, /rest_client_requests_total\{code="200",method="GET",host="127\.0\.0\.1:\d+"\}/);
  t.match(text, /process_cpu_user_seconds_total/, 'default process metrics on');
  const stoppedAt = Date.now();
  stop.abort();
  t.equal(await running, 0);
  t.ok(Date.now() - stoppedAt < 10_000, 'stopped within the shutdown timeout');
  t.equal((await get(health, '/readyz')).status, 0, 'endpoints closed');
});

t.test('invalid settings exit 2 before anything starts', async (t) => {
  t.equal(await runOperator([], { env: { MAX_CONCURRENT_RECONCILES: 'many', LEADER_ELECTION: 'false' } }), 2);
  t.equal(await runOperator(['--bogus'], { env: {} }), 2);
});
