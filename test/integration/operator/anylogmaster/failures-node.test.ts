// A node that stops answering: the embedded sample reaches Ready, then the node
// pod's process group is frozen with SIGSTOP (the pod is not deleted; its sockets stay open, so REST
// requests hang as with a wedged node). NodeReachable turns False/NodeUnreachable and Ready False with
// exactly one Warning Event over several polls (the pod's readiness probe may later turn the reason
// into WaitingForPod, still False and still no second Event); SIGCONT heals it to Ready with one more
// Ready emission, in the same pod, with the same policy id.
import t from 'tap';
import { getJson, kubectlOk, testNamespace, type KubeObject } from '../../../helpers/cluster.js';
import {
  applyObject,
  condition,
  describe,
  ensureCrd,
  getCr,
  sample,
  startOperator,
  waitPasses,
  waitCondition,
  waitReady,
} from './harness.js';
import { operatorEvents, summary, withReason } from './operator-events.js';
import { recordTimeline } from './timeline.js';

t.setTimeout(600_000);

const NAME = 'fnode';

/** PID of the pod's container process (the local pod runner reports it as the containerID). */
function containerPid(pod: KubeObject): number {
  const id = pod.status?.containerStatuses?.[0]?.containerID as string | undefined;
  const m = /^local-pod-runner:\/\/(\d+)$/.exec(id ?? '');
  if (m?.[1] === undefined) throw new Error(`no local-pod-runner containerID on the pod: ${id ?? '(none)'}`);
  return Number(m[1]);
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  // The pod runner starts every container in its own process group, led by the container process.
  process.kill(-pid, signal);
}

t.test('a node that stops answering: NodeUnreachable, one Event, heals when it answers', async (t) => {
  const ns = await testNamespace(t, 'alm-fnode');
  await ensureCrd();
  const op = await startOperator(t, ns);
  await applyObject(sample('anylogmaster-embedded.yaml', NAME, ns));
  recordTimeline(t, ns, NAME);
  const ready = await waitReady(ns, NAME).catch(async (err: unknown) => {
    t.comment(await describe(ns, NAME));
    throw err;
  });
  const uid = ready.metadata.uid as string;
  const policyId = ready.status.policyId as string;
  const initial = await operatorEvents(ns, uid);
  t.same(
    withReason(initial, 'Ready').map((e) => e.emissions),
    [1],
    `Ready reported once on the way up (${summary(initial)})`,
  );
  t.equal(withReason(initial, 'NodeUnreachable').length, 0, 'no NodeUnreachable yet');

  const pod = await getJson(['-n', ns, 'pod', `${NAME}-0`]);
  const pid = containerPid(pod);
  let frozen = false;
  t.teardown(() => {
    if (!frozen) return;
    try {
      signalGroup(pid, 'SIGCONT');
    } catch {
      /* the pod's processes are gone already */
    }
  });

  await t.test('freezing the node process degrades the CR with one Event', async (t) => {
    signalGroup(pid, 'SIGSTOP');
    frozen = true;
    const stoppedAt = Date.now();
    // Ready objects are re-checked every 30 s; the readiness probe (10 s period, 3 failures) would mark
    // the pod unready within about that time too. A metadata change wakes the key now, so the pass
    // meets a Ready pod whose REST port does not answer: the NodeUnreachable path.
    await kubectlOk(['-n', ns, 'annotate', 'anylogmaster', NAME, 'test.anylog.co/poke=1', '--overwrite']);
    const degraded: KubeObject = await waitCondition(
      ns,
      NAME,
      'NodeReachable',
      (c) => c.status === 'False',
      60_000,
    );
    t.comment(`degradation seen after ${Date.now() - stoppedAt} ms`);
    const node = condition(degraded, 'NodeReachable');
    t.equal(node.reason, 'NodeUnreachable', `NodeReachable reason (${node.message})`);
    t.match(node.message, /cannot reach the node REST API/, 'the message says what failed');
    const readyCond = condition(degraded, 'Ready');
    t.equal(readyCond.status, 'False', 'Ready=False');
    t.equal(readyCond.reason, 'NodeUnreachable', 'Ready mirrors NodeReachable');
    t.equal(condition(degraded, 'LedgerReady').status, 'True', 'the ledger is not blamed');
    t.equal(condition(degraded, 'Reconciling'), undefined, 'runtime degradation sets no Reconciling');
    t.equal(condition(degraded, 'Stalled'), undefined, 'not a stall');
    t.equal(degraded.status.phase, 'Degraded');

    // Several more passes (5 s cadence plus the 5 s request timeout) must not report it again.
    const reasons = new Set<string>();
    const sampler = setInterval(() => {
      void getCr(ns, NAME)
        .then((cr) =>
          reasons.add(`${condition(cr, 'NodeReachable')?.status}/${condition(cr, 'NodeReachable')?.reason}`),
        )
        .catch(() => undefined);
    }, 1000);
    try {
      await waitPasses(op, 3, 120_000);
    } finally {
      clearInterval(sampler);
    }
    t.comment(`NodeReachable while frozen: ${[...reasons].join(', ')}`);
    t.ok(
      [...reasons].every((r) => r === 'False/NodeUnreachable' || r === 'False/WaitingForPod'),
      'NodeReachable stayed False while frozen',
    );
    const later = await getCr(ns, NAME);
    t.equal(condition(later, 'NodeReachable').status, 'False', 'still NodeReachable=False');
    t.equal(
      condition(later, 'NodeReachable').lastTransitionTime,
      node.lastTransitionTime,
      'lastTransitionTime unchanged across polls',
    );
    t.equal(condition(later, 'Ready').status, 'False', 'still Ready=False');
    const events = await operatorEvents(ns, uid);
    const warnings = withReason(events, 'NodeUnreachable');
    t.equal(warnings.length, 1, `one NodeUnreachable Event (${summary(events)})`);
    t.equal(warnings[0]?.type, 'Warning');
    t.equal(warnings[0]?.emissions, 1, 'emitted once, not once per poll');
    t.match(warnings[0]?.note ?? '', /cannot reach the node REST API/);
    t.same(
      withReason(events, 'Ready').map((e) => e.emissions),
      [1],
      'no recovery reported while frozen',
    );
  });

  await t.test('resuming the node heals to Ready with one recovery Event', async (t) => {
    signalGroup(pid, 'SIGCONT');
    frozen = false;
    const resumedAt = Date.now();
    const healed = await waitReady(ns, NAME, 120_000).catch(async (err: unknown) => {
      t.comment(await describe(ns, NAME));
      throw err;
    });
    t.comment(`recovery seen after ${Date.now() - resumedAt} ms`);
    t.equal(condition(healed, 'NodeReachable').reason, 'Reachable');
    t.equal(healed.status.phase, 'Running');
    t.equal(healed.status.policyId, policyId, 'the same policy id');
    const podAfter = await getJson(['-n', ns, 'pod', `${NAME}-0`]);
    t.equal(podAfter.metadata.uid, pod.metadata.uid, 'the same pod');
    t.equal(containerPid(podAfter), pid, 'the same process, not restarted');
    t.equal(podAfter.status.containerStatuses[0].restartCount, 0, 'no container restart');
    const check = async (): Promise<void> => {
      const events = await operatorEvents(ns, uid);
      const one = (reason: string): number | undefined => {
        const found = withReason(events, reason);
        return found.length === 1 ? found[0]?.emissions : -found.length;
      };
      t.equal(one('Ready'), 2, `Ready reported once more (${summary(events)})`);
      t.equal(one('NodeUnreachable'), 1, 'the outage still reported once');
    };
    await check();
    // A steady-state refresh later (30 s cadence) nothing is reported again.
    await waitPasses(op, 1, 60_000);
    t.equal(condition(await getCr(ns, NAME), 'Ready').status, 'True', 'still Ready');
    await check();
  });
});
