// The resource types and selectors of the AnyLogMaster controller (resources.ts): the exact group, version,
// plural and kind the API calls and RBAC rules use, typeOfKind for rendered children, and podToKeys.
import t from 'tap';
import type { KubeObject } from '../../../../src/operator/framework/kube.js';
import {
  ANYLOG_MASTERS,
  CONFIGMAPS,
  CRONJOBS,
  JOBS,
  MANAGED_SELECTOR,
  NETWORKPOLICIES,
  PODS,
  SECRETS,
  SERVICES,
  STATEFULSETS,
  podToKeys,
  typeOfKind,
} from '../../../../src/operator/anylogmaster/resources.js';

t.test('the resource types', async (t) => {
  t.same(ANYLOG_MASTERS, {
    group: 'anylog.co',
    version: 'v1alpha1',
    plural: 'anylogmasters',
    kind: 'AnyLogMaster',
    namespaced: true,
  });
  const expected = [
    [STATEFULSETS, 'apps', 'statefulsets', 'StatefulSet'],
    [SERVICES, '', 'services', 'Service'],
    [CONFIGMAPS, '', 'configmaps', 'ConfigMap'],
    [SECRETS, '', 'secrets', 'Secret'],
    [PODS, '', 'pods', 'Pod'],
    [NETWORKPOLICIES, 'networking.k8s.io', 'networkpolicies', 'NetworkPolicy'],
    [CRONJOBS, 'batch', 'cronjobs', 'CronJob'],
    [JOBS, 'batch', 'jobs', 'Job'],
  ] as const;
  for (const [type, group, plural, kind] of expected) {
    t.same(type, { group, version: 'v1', plural, kind, namespaced: true }, kind);
  }
});

t.test('the managed-by selector', async (t) => {
  t.equal(MANAGED_SELECTOR, 'app.kubernetes.io/managed-by=anylog-operator');
});

t.test('typeOfKind maps every rendered kind to its type', async (t) => {
  const kinds = [
    ['StatefulSet', STATEFULSETS],
    ['Service', SERVICES],
    ['ConfigMap', CONFIGMAPS],
    ['NetworkPolicy', NETWORKPOLICIES],
    ['Secret', SECRETS],
    ['CronJob', CRONJOBS],
    ['Job', JOBS],
  ] as const;
  for (const [kind, type] of kinds) {
    t.equal(typeOfKind(kind), type, kind);
    t.equal(typeOfKind(kind).kind, kind, kind);
  }
});

t.test('typeOfKind refuses kinds the controller does not manage', async (t) => {
  for (const kind of ['Pod', 'AnyLogMaster', 'Deployment', 'statefulset', '']) {
    t.throws(() => typeOfKind(kind), TypeError, JSON.stringify(kind));
  }
  t.throws(() => typeOfKind('Deployment'), /Deployment/, 'the message names the kind');
});

t.test('podToKeys maps a pod to the CR of its instance label', async (t) => {
  const pod = (metadata: KubeObject['metadata']): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata });
  t.same(
    podToKeys(
      pod({
        name: 'master-0',
        namespace: 'anylog',
        labels: { 'app.kubernetes.io/instance': 'master', 'app.kubernetes.io/name': 'anylog' },
      }),
    ),
    ['anylog/master'],
  );
  t.same(
    podToKeys(pod({ name: 'ledger-0', namespace: 'team-a', labels: { 'app.kubernetes.io/instance': 'm2' } })),
    ['team-a/m2'],
  );
  t.same(podToKeys(pod({ name: 'x-0', namespace: 'anylog', labels: { 'app.kubernetes.io/name': 'x' } })), []);
  t.same(podToKeys(pod({ name: 'x-0', namespace: 'anylog' })), [], 'no labels at all');
  t.same(
    podToKeys(pod({ name: 'x-0', labels: { 'app.kubernetes.io/instance': 'master' } })),
    [],
    'no namespace',
  );
});
