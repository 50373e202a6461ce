// The embedded ledger's lifecycle: idempotence (steady state without API writes, operator
// restart, node pod deletion, re-apply → still one master policy), a spec change rolls the pod and
// replaces the policy (old id dropped, exactly one left) with observedGeneration following, and
// deletionPolicy Retain carries no finalizer, so deletion does not wait for the operator.
import t from 'tap';
import { getJson, kubectlOk, waitUntil } from '../../../helpers/cluster.js';
import { testNamespace } from '../../../helpers/cluster.js';
import {
  applyObject,
  describe,
  ensureCrd,
  getCr,
  nodePolicies,
  runnerLog,
  sample,
  startOperator,
  waitPasses,
  waitReady,
} from './harness.js';

const NODE = 'anylog-master';
const COMPANY = 'New Company';

t.test('idempotence, spec change and Retain deletion', async (top) => {
  const t = top;
  const ns = await testNamespace(t, 'alm-lc');
  await ensureCrd();
  let op = await startOperator(t, ns);
  const cr0 = sample('anylogmaster-embedded.yaml', 'lc', ns);
  await applyObject(cr0);
  const ready = await waitReady(ns, 'lc').catch(async (err: unknown) => {
    t.comment(await describe(ns, 'lc'));
    throw err;
  });
  const firstId = ready.status.policyId as string;
  t.notOk(ready.metadata.finalizers?.includes('anylog.co/cleanup'), 'Retain: no finalizer');
  t.same(
    (await nodePolicies(ns, 'lc', NODE, COMPANY)).map((p) => p.id),
    [firstId],
    'exactly one master policy',
  );

  await t.test('steady state makes no API writes', async (t) => {
    await waitPasses(op, 1);
    const before = await op.writes();
    await waitPasses(op, 1, 45_000);
    t.equal(await op.writes(), before, 'no write during a steady-state pass');
  });

  await t.test('a restarted operator writes nothing and keeps one policy', async (t) => {
    await op.stop();
    op = await startOperator(top, ns);
    await waitPasses(op, 1);
    t.equal(await op.writes(), 0, 'zero write requests after the first pass of a new operator');
    t.same(
      (await nodePolicies(ns, 'lc', NODE, COMPANY)).map((p) => p.id),
      [firstId],
    );
  });

  await t.test('deleting the node pod keeps the same single policy', async (t) => {
    const oldPod = await getJson(['-n', ns, 'pod', 'lc-0']);
    await kubectlOk(['-n', ns, 'delete', 'pod', 'lc-0', '--wait=false']);
    await waitUntil(
      'a new pod lc-0',
      async () => {
        const pod = await getJson(['-n', ns, 'pod', 'lc-0']);
        return pod.metadata.uid !== oldPod.metadata.uid;
      },
      60_000,
      1000,
    ).catch((err: unknown) => {
      t.comment(`pod-runner log:\n${runnerLog('lc-0')}`);
      throw err;
    });
    const again = await waitReady(ns, 'lc');
    t.equal(again.status.policyId, firstId, 'same policy id after the pod restart');
    t.same(
      (await nodePolicies(ns, 'lc', NODE, COMPANY)).map((p) => p.id),
      [firstId],
    );
  });

  await t.test('re-applying the same CR changes nothing', async (t) => {
    const before = await getCr(ns, 'lc');
    await applyObject(cr0);
    await waitPasses(op, 1);
    const after = await getCr(ns, 'lc');
    t.equal(after.metadata.generation, before.metadata.generation);
    t.equal(after.status.policyId, firstId);
    t.same(
      (await nodePolicies(ns, 'lc', NODE, COMPANY)).map((p) => p.id),
      [firstId],
    );
  });

  await t.test('a spec change rolls the pod and replaces the policy', async (t) => {
    const before = await getCr(ns, 'lc');
    const podBefore = await getJson(['-n', ns, 'pod', 'lc-0']);
    const spec = cr0['spec'] as Record<string, unknown>;
    await applyObject({
      ...cr0,
      spec: {
        ...spec,
        location: { loc: '52.52, 13.40', country: 'Germany', state: 'Berlin', city: 'Berlin' },
      },
    });
    const gen = (before.metadata.generation as number) + 1;
    const changed = await waitUntil(
      'Ready for the new generation with a new policy',
      async () => {
        const cr = await getCr(ns, 'lc');
        return cr.metadata.generation === gen &&
          cr.status.observedGeneration === gen &&
          cr.status.policyId !== firstId
          ? await waitReady(ns, 'lc', 5_000).catch(() => undefined)
          : undefined;
      },
      150_000,
      1000,
    );
    t.equal(changed.status.observedGeneration, gen, 'observedGeneration follows');
    const podAfter = await getJson(['-n', ns, 'pod', 'lc-0']);
    t.not(podAfter.metadata.uid, podBefore.metadata.uid, 'the pod was rolled');
    t.not(
      podAfter.metadata.annotations['anylog.co/config-hash'],
      podBefore.metadata.annotations['anylog.co/config-hash'],
      'with a new config hash',
    );
    const ids = (await nodePolicies(ns, 'lc', NODE, COMPANY)).map((p) => p.id);
    t.same(ids, [changed.status.policyId], 'exactly one policy, the new one');
    t.notOk(ids.includes(firstId), 'old id dropped');
  });

  await t.test('Retain: deleting the CR does not wait for the operator', async (t) => {
    await op.stop();
    await kubectlOk(['-n', ns, 'delete', 'anylogmaster', 'lc', '--wait=true', '--timeout=30s']);
    const r = await getJson(['-n', ns, 'anylogmasters']);
    t.equal(r.items.length, 0);
  });
});
