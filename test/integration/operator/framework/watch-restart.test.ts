// A watch survives the API server being stopped and started. The test starts a
// private etcd + kube-apiserver of its own (so the suites sharing the run's control plane are never
// disturbed), stops that apiserver by its recorded PID, starts it again with the same command line on the
// same port, and checks that the reflector reconnects with backoff and sees a change made afterwards.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { createKubeClient } from '../../../../src/operator/framework/kube-client.js';
import { Metrics } from '../../../../src/operator/framework/metrics.js';
import { Reflector } from '../../../../src/operator/framework/reflector.js';
import { realClock } from '../../../../src/common/clock.js';
import { silentLogger } from '../../../../src/common/logger.js';
import { startBareApi } from '../../../controlplane/src/controlplane.js';
import { readPidFiles, spawnDetached, stopGroup } from '../../../controlplane/src/procs.js';
import {
  CONFIGMAPS,
  FM,
  NAMESPACES,
  configMap,
  runUntilTeardown,
  testNamespace,
  waitFor,
} from './fixtures/cluster.js';

const api = await startBareApi();
t.teardown(() => api.stop());
const metrics = new Metrics({ prefix: 'anylog', defaultMetrics: false });
const kube = createKubeClient({ metrics, kubeconfigPath: api.kubeconfig });

/** Stops the private apiserver and starts it again with the same binary and flags; resolves when it serves. */
async function restartApiserver(downMs: number): Promise<void> {
  const dir = api.runDir;
  const pidDir = join(dir, 'pids');
  const record = readPidFiles(pidDir).find((r) => r.name === 'kube-apiserver');
  if (record === undefined) throw new Error(`no kube-apiserver PID file in ${pidDir}`);
  const argv = readFileSync(`/proc/${record.pid}/cmdline`, 'utf8')
    .split('\0')
    .filter((a) => a !== '');
  const [cmd, ...args] = argv;
  if (cmd === undefined) throw new Error('empty kube-apiserver command line');
  await stopGroup(record.pid, 10_000, record.startTime);
  await new Promise((r) => setTimeout(r, downMs));
  spawnDetached({
    name: 'kube-apiserver',
    cmd,
    args,
    pidDir,
    logFile: join(dir, 'logs', 'kube-apiserver.log'),
  });
  await waitFor('kube-apiserver serving again', 120_000, async () => {
    try {
      await kube.list(NAMESPACES, { limit: 1 });
      return true;
    } catch {
      return false;
    }
  });
}

t.test('a watch survives the apiserver being stopped and started', async (t) => {
  const ns = await testNamespace(t, kube, 'fw-restart');
  await kube.create(CONFIGMAPS, configMap(ns, 'before', { v: '1' }), FM);
  const reflector = new Reflector({
    kube,
    type: CONFIGMAPS,
    namespace: ns,
    clock: realClock,
    logger: silentLogger(),
    metrics,
    backoff: { initialMs: 500, maxMs: 5000 },
  });
  runUntilTeardown(t, reflector);
  await reflector.waitForSync(AbortSignal.timeout(30_000));
  t.ok(reflector.cache.get(`${ns}/before`));

  await restartApiserver(3000);
  const labels = { resource: 'configmaps', namespace: ns };
  await waitFor(
    'the reflector noticed the outage',
    60_000,
    async () => (await metrics.value('anylog_watch_restarts_total', labels)) >= 1,
  );

  await kube.create(CONFIGMAPS, configMap(ns, 'after', { v: '2' }), FM);
  await waitFor(
    'change after the restart seen through the watch',
    60_000,
    () => reflector.cache.get(`${ns}/after`) !== undefined,
  );
  await kube.delete(CONFIGMAPS, { namespace: ns, name: 'before' });
  await waitFor(
    'delete after the restart seen',
    60_000,
    () => reflector.cache.get(`${ns}/before`) === undefined,
  );
  t.ok(reflector.hasSynced);
  t.ok(reflector.lastEventAge() < 60_000);
  const restarts = await metrics.value('anylog_watch_restarts_total', labels);
  t.ok(restarts >= 1 && restarts < 50, `restarted with backoff, not in a storm (${restarts})`);
});
