// Availability of the operator replicas as rendered: the PodDisruptionBudget (only with two or more
// replicas), preferred anti-affinity by hostname (on by default, yielding to the user's own
// podAntiAffinity) and topologySpreadConstraints with the operator's selector filled in.
import t from 'tap';
import { only, render, type Obj } from '../../helpers/chart-render.js';

const podSpec = (objs: Obj[]): Obj => only(objs, 'Deployment').spec.template.spec;
const selector = (objs: Obj[]): Obj => only(objs, 'Deployment').spec.selector.matchLabels;
const pdbs = (objs: Obj[]): Obj[] => objs.filter((o) => o.kind === 'PodDisruptionBudget');

t.test('a PodDisruptionBudget for two or more replicas only', async (t) => {
  const def = await render();
  const pdb = only(def, 'PodDisruptionBudget');
  t.same(pdb.spec, { minAvailable: 1, selector: { matchLabels: selector(def) } }, 'minAvailable 1');
  t.equal(pdb.metadata.namespace, 'anylog-system');
  t.equal(pdbs(await render(['replicaCount=1'])).length, 0, 'none with one replica');
  t.equal(pdbs(await render(['podDisruptionBudget.enabled=false'])).length, 0, 'none when disabled');
  const pct = only(
    await render(['replicaCount=3', 'podDisruptionBudget.minAvailable=50%']),
    'PodDisruptionBudget',
  );
  t.equal(pct.spec.minAvailable, '50%', 'a percentage');
  const max = only(await render(['podDisruptionBudget.maxUnavailable=1']), 'PodDisruptionBudget');
  t.equal(max.spec.maxUnavailable, 1, 'maxUnavailable when set');
  t.notOk('minAvailable' in max.spec, '... instead of minAvailable');
});

t.test('the budget values are validated', async (t) => {
  await t.rejects(render(['podDisruptionBudget.minAvailable=half']), /values don't meet the specifications/);
  await t.rejects(render(['podDisruptionBudget.minAvailable=-1']), /values don't meet the specifications/);
});

t.test('preferred anti-affinity by hostname between the replicas, on by default', async (t) => {
  const def = await render();
  t.same(podSpec(def).affinity, {
    podAntiAffinity: {
      preferredDuringSchedulingIgnoredDuringExecution: [
        {
          weight: 100,
          podAffinityTerm: {
            topologyKey: 'kubernetes.io/hostname',
            labelSelector: { matchLabels: selector(def) },
          },
        },
      ],
    },
  });
  const zone = await render([
    'podAntiAffinity.topologyKey=topology.kubernetes.io/zone',
    'podAntiAffinity.weight=10',
  ]);
  const term = podSpec(zone).affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0];
  t.equal(term.weight, 10);
  t.equal(term.podAffinityTerm.topologyKey, 'topology.kubernetes.io/zone');
  t.equal(podSpec(await render(['podAntiAffinity.enabled=false'])).affinity, undefined, 'off: no affinity');
});

t.test("the user's affinity is kept; its own podAntiAffinity replaces the chart's", async (t) => {
  const nodeAffinity = {
    requiredDuringSchedulingIgnoredDuringExecution: {
      nodeSelectorTerms: [{ matchExpressions: [{ key: 'pool', operator: 'In', values: ['ops'] }] }],
    },
  };
  const mixed = podSpec(await render([], ['--set-json', `affinity=${JSON.stringify({ nodeAffinity })}`]));
  t.same(mixed.affinity.nodeAffinity, nodeAffinity, 'nodeAffinity as given');
  t.ok(
    mixed.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution,
    'plus the chart default',
  );
  const own = {
    podAntiAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: [
        { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { a: 'b' } } },
      ],
    },
  };
  const replaced = podSpec(await render([], ['--set-json', `affinity=${JSON.stringify(own)}`]));
  t.same(replaced.affinity, own, "the user's podAntiAffinity alone");
});

t.test('topologySpreadConstraints: none by default, the selector filled in where missing', async (t) => {
  const def = await render();
  t.equal(podSpec(def).topologySpreadConstraints, undefined);
  const spread = [
    { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway' },
    {
      maxSkew: 1,
      topologyKey: 'kubernetes.io/hostname',
      whenUnsatisfiable: 'DoNotSchedule',
      labelSelector: { matchLabels: { own: 'selector' } },
    },
  ];
  const objs = await render([], ['--set-json', `topologySpreadConstraints=${JSON.stringify(spread)}`]);
  t.same(podSpec(objs).topologySpreadConstraints, [
    { ...spread[0], labelSelector: { matchLabels: selector(objs) } },
    spread[1],
  ]);
});
