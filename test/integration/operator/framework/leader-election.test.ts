// Leader election with two managers against the real API server: only the Lease holder runs workers;
// when the holder is killed (SIGKILL, no release) the standby takes over within 20 s and reconciles
// every key; a leader renews with one PUT per period (no GET); a graceful stop releases the Lease.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { LEASES_V1 } from '../../../../src/operator/framework/leader-election.js';
import { tsxArgs } from '../../../controlplane/src/paths.js';
import {
  CONFIGMAPS,
  FM,
  configMap,
  newClient,
  runInTest,
  testNamespace,
  waitFor,
} from './fixtures/cluster.js';
import { testManager } from './fixtures/manager.js';

const { kube, metrics } = newClient();
const CHILD = fileURLToPath(new URL('./fixtures/leader-child.ts', import.meta.url));

async function holder(ns: string): Promise<string | undefined> {
  const lease = await kube.get(LEASES_V1, { namespace: ns, name: 'test-leader' });
  return (lease?.['spec'] as { holderIdentity?: string } | undefined)?.holderIdentity;
}

/** Counts changes of the lease's renewTime from now on (each call reads the lease once). */
async function renewalCounter(ns: string): Promise<() => Promise<number>> {
  const renewTime = async (): Promise<string | undefined> => {
    const lease = await kube.get(LEASES_V1, { namespace: ns, name: 'test-leader' });
    return (lease?.['spec'] as { renewTime?: string } | undefined)?.renewTime;
  };
  let last = await renewTime();
  let count = 0;
  return async () => {
    const now = await renewTime();
    if (now !== last) count += 1;
    last = now;
    return count;
  };
}

t.test('only the holder runs workers; a killed holder is replaced within 20 s', async (t) => {
  const ns = await testNamespace(t, kube, 'fw-leader');
  await kube.create(CONFIGMAPS, configMap(ns, 'first', {}), FM);

  let childOut = '';
  const child = spawn(process.execPath, [...tsxArgs(CHILD), ns, 'A'], {
    detached: true,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: process.env,
  });
  child.stdout.on('data', (b: Buffer) => (childOut += b.toString()));
  const childExit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  t.teardown(async () => {
    if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
    await childExit;
  });
  await waitFor('A holds the lease', 60_000, async () => (await holder(ns)) === 'A');
  await waitFor('A reconciles', 20_000, () => childOut.includes(`reconciled ${ns}/first`));

  const passesB: string[] = [];
  const b = testManager({ kube, metrics, namespaces: [ns], fieldManager: 't', leaderIdentity: 'B' });
  b.controller({ name: 'cms', type: CONFIGMAPS }).reconcile(async (ctx) => {
    passesB.push(ctx.key);
    return undefined;
  });
  const runningB = runInTest(t, b);
  await waitFor('B caches synced (standbys are ready)', 20_000, () => b.readiness().ok);

  await kube.create(CONFIGMAPS, configMap(ns, 'second', {}), FM);
  await waitFor('the leader reconciles the new key', 20_000, () =>
    childOut.includes(`reconciled ${ns}/second`),
  );
  // Two renewals by A while B stands by with synced caches: B had its chances to take over.
  const renewals = await renewalCounter(ns);
  await waitFor('A renews twice', 20_000, async () => (await renewals()) >= 2);
  t.same(passesB, [], 'the standby ran no pass');
  t.notOk(b.isLeader);
  t.equal(await holder(ns), 'A');

  const killedAt = Date.now();
  process.kill(-child.pid!, 'SIGKILL');
  await childExit;
  await waitFor(
    'B takes over and reconciles every key',
    25_000,
    () => passesB.includes(`${ns}/second`) && passesB.includes(`${ns}/first`),
  );
  const handover = Date.now() - killedAt;
  t.ok(handover < 20_000, `handover in ${handover} ms`);
  t.ok(b.isLeader);
  const gets = await metrics.value('rest_client_requests_total', { method: 'GET' });
  const puts = await metrics.value('rest_client_requests_total', { method: 'PUT' });
  await waitFor(
    'two renewals by B',
    20_000,
    async () => (await metrics.value('rest_client_requests_total', { method: 'PUT' })) - puts >= 2,
  );
  t.equal(
    (await metrics.value('rest_client_requests_total', { method: 'GET' })) - gets,
    0,
    'a leader renews by PUT alone (no GET per renewal)',
  );
  t.equal(await holder(ns), 'B');
  t.equal(await metrics.value('leader_election_master_status', { name: 'test-leader' }), 1);

  t.equal(await runningB.stop(), 'stopped');
  t.equal(await holder(ns), '', 'the lease is released on a graceful stop');
});
