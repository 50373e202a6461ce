// The composition root against the real API server: runOperator starts the framework with settings
// from an environment snapshot, serves nothing on disabled endpoints, stops on its abort signal with
// exit code 0, and returns 2 for invalid settings.
import t from 'tap';
import { runOperator } from '../../../../src/operator/main.js';
import { requireKubeconfig } from './fixtures/cluster.js';

t.test('runOperator runs until stopped and exits 0', async (t) => {
  const kubeconfig = requireKubeconfig();
  const stop = new AbortController();
  const started = Date.now();
  const running = runOperator([], {
    env: {
      KUBECONFIG: kubeconfig,
      LEADER_ELECTION: 'false',
      METRICS_BIND_ADDRESS: '127.0.0.1:0',
      HEALTH_PROBE_BIND_ADDRESS: '127.0.0.1:0',
      LOG_LEVEL: 'silent',
      SHUTDOWN_TIMEOUT_SECONDS: '5',
    },
    signal: stop.signal,
  });
  setTimeout(() => stop.abort(), 2000);
  t.equal(await running, 0);
  t.ok(Date.now() - started < 15_000, 'stopped promptly');
});

t.test('invalid settings exit 2 before anything starts', async (t) => {
  t.equal(await runOperator([], { env: { MAX_CONCURRENT_RECONCILES: 'many', LEADER_ELECTION: 'false' } }), 2);
  t.equal(await runOperator(['--bogus'], { env: {} }), 2);
});
