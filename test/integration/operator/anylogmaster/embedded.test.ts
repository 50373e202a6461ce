// The embedded sample reaches Ready against the real control plane with real
// anylog-node processes — children with owner references, no password in the ConfigMap, required
// processes Running, Ready=True with observedGeneration == generation, and `kubectl wait` returns.
import t from 'tap';
import { getJson, kubectl, testNamespace } from '../../../helpers/cluster.js';
import { condition, describe, ensureCrd, sample, startOperator, applyObject, waitReady } from './harness.js';

t.test('the embedded sample reaches Ready', async (t) => {
  const ns = await testNamespace(t, 'alm-emb');
  await ensureCrd();
  const op = await startOperator(t, ns);
  await applyObject(sample('anylogmaster-embedded.yaml', 'master', ns));
  let cr;
  try {
    cr = await waitReady(ns, 'master');
  } catch (err) {
    t.comment(await describe(ns, 'master'));
    throw err;
  }
  const uid = cr.metadata.uid as string;
  t.equal(cr.status.phase, 'Running');
  t.equal(cr.status.observedGeneration, cr.metadata.generation);
  t.equal(condition(cr, 'Reconciling'), undefined, 'no Reconciling when Ready');
  t.equal(condition(cr, 'Stalled'), undefined, 'no Stalled when Ready');
  for (const type of ['LedgerReady', 'NodeReachable', 'PolicyPosted', 'ProcessesHealthy']) {
    t.equal(condition(cr, type)?.status, 'True', `${type} True`);
  }
  t.equal(condition(cr, 'LedgerReady').reason, 'Embedded');
  t.match(cr.status.policyId, /^[0-9a-f]{32}$/);
  t.equal(cr.status.ledger.mode, 'Embedded');

  const svc = await getJson(['-n', ns, 'service', 'master']);
  t.equal(
    cr.status.advertisedAddress,
    svc.spec.clusterIP,
    'advertised address is the client Service ClusterIP',
  );

  for (const [kind, name] of [
    ['service', 'master'],
    ['service', 'master-headless'],
    ['configmap', 'master-config'],
    ['statefulset', 'master'],
  ] as const) {
    const obj = await getJson(['-n', ns, kind, name]);
    const owner = (obj.metadata.ownerReferences ?? []).find(
      (o: { controller?: boolean }) => o.controller === true,
    );
    t.equal(owner?.uid, uid, `${kind}/${name} is controlled by the CR`);
    t.equal(owner?.blockOwnerDeletion, true);
  }
  const cm = await getJson(['-n', ns, 'configmap', 'master-config']);
  const text = JSON.stringify(cm.data);
  t.notMatch(text, /DB_PASSWD|PASSWORD|password/i, 'no password in the ConfigMap');

  const processes = cr.status.processes as { name: string; status: string }[];
  for (const name of ['TCP', 'REST', 'Blockchain Sync', 'Scheduler']) {
    t.equal(processes.find((p) => p.name === name)?.status, 'Running', `${name} Running`);
  }
  t.equal(
    await op.metrics.value('anylog_node_process_up', { namespace: ns, name: 'master', process: 'Scheduler' }),
    1,
  );
  t.equal(
    await op.metrics.value('anylog_ledger_ready', { namespace: ns, name: 'master', mode: 'Embedded' }),
    1,
  );
  t.ok(
    (await op.metrics.value('anylog_policy_operations_total', { operation: 'insert' })) >= 1,
    'policy insert counted',
  );
  const events = await getJson(['-n', ns, 'events.events.k8s.io']);
  const reasons = (events.items as { reason: string; reportingController: string }[])
    .filter((e) => e.reportingController === 'anylog.co/anylog-operator')
    .map((e) => e.reason);
  t.ok(reasons.includes('PolicyPosted'), `PolicyPosted event (${reasons.join(', ')})`);
  t.ok(reasons.includes('Ready'), 'Ready event');
  const wait = await kubectl([
    '-n',
    ns,
    'wait',
    '--for=condition=Ready',
    'anylogmaster/master',
    '--timeout=20s',
  ]);
  t.equal(wait.code, 0, `kubectl wait returns: ${wait.stderr}`);
});
