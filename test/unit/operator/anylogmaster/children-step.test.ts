// Step 5 (steps/children.ts): which children are applied in which order, the advertised address and the
// waiting reasons (LoadBalancer vs the rest), the NetworkPolicy applied or removed (only ours), REST TLS
// wired into the pod or stalling the step, no write at steady state, and API errors ending the step.
import t from 'tap';
import {
  ANNOTATION_CONFIG_HASH,
  LABEL_INSTANCE,
  LABEL_MANAGED_BY,
  MANAGED_BY,
} from '../../../../src/api/labels.js';
import type { AnyLogMaster } from '../../../../src/api/types.js';
import { DEFAULT_OPERATOR_POD_LABELS, renderClientService } from '../../../../src/render/index.js';
import type { KubeObject } from '../../../../src/operator/framework/kube.js';
import { DEFAULT_OPERATOR_VERSION, FIELD_MANAGER } from '../../../../src/operator/anylogmaster/deps.js';
import {
  CONFIGMAPS,
  NETWORKPOLICIES,
  SECRETS,
  SERVICES,
  STATEFULSETS,
} from '../../../../src/operator/anylogmaster/resources.js';
import { ResourceConflictError } from '../../../../src/operator/anylogmaster/steps/apply.js';
import {
  applyNodeChildren,
  asKube,
  imagesOf,
  operatorPodsOf,
  type ChildrenResult,
} from '../../../../src/operator/anylogmaster/steps/children.js';
import { crFromFixture, crFromSample, inputsFor } from '../../render/helpers.js';
import { FakeKube, conflict, serverError, type KubeCall } from './fixtures/fake-kube.js';
import { passFor, TEST_SETTINGS } from './fixtures/pass-env.js';

const NS = 'anylog';
const CLUSTER_IP = '10.96.0.20';
const minimal = crFromFixture('minimal.yaml');
const lb = crFromFixture('loadbalancer.yaml');
const overlay = crFromFixture('overlay.yaml');

const withSpec = (cr: AnyLogMaster, spec: Partial<AnyLogMaster['spec']>): AnyLogMaster => ({
  ...cr,
  spec: { ...cr.spec, ...spec },
});

/** The client Service as the API returns it once allocated: the rendered one plus `extra`. */
function seedClientService(kube: FakeKube, cr: AnyLogMaster, extra: { spec?: object; status?: object }) {
  const rendered = asKube(renderClientService(cr, { operatorVersion: DEFAULT_OPERATOR_VERSION }));
  kube.seed(SERVICES, {
    ...rendered,
    spec: { ...(rendered['spec'] as object), ...extra.spec },
    ...(extra.status === undefined ? {} : { status: extra.status }),
  });
}

/** A kube whose client Service of `cr` already has a cluster IP. */
function allocated(cr: AnyLogMaster = minimal): FakeKube {
  const kube = new FakeKube();
  seedClientService(kube, cr, { spec: { clusterIP: CLUSTER_IP } });
  return kube;
}

const writes = (calls: readonly KubeCall[]): string[] =>
  calls
    .filter((c) => c.verb !== 'get' && c.verb !== 'list')
    .map((c) => `${c.verb} ${c.plural}/${c.ref.name}`);

function applied(result: ChildrenResult): Extract<ChildrenResult, { kind: 'applied' }> {
  if (result.kind !== 'applied') throw new Error(`expected applied, got ${JSON.stringify(result)}`);
  return result;
}

const configData = (kube: FakeKube, name: string): Record<string, string> =>
  (kube.stored(CONFIGMAPS, NS, `${name}-config`)?.['data'] ?? {}) as Record<string, string>;

interface PodTemplate {
  metadata: { annotations: Record<string, string> };
  spec: { volumes: { name: string; secret?: { secretName: string } }[] };
}
const template = (sts: KubeObject | undefined): PodTemplate =>
  (sts?.['spec'] as { template: PodTemplate }).template;

t.test(
  'ClusterIP without an IP yet: the Services and the policy are applied, then Progressing',
  async (t) => {
    const { env, kube } = passFor(minimal);
    const result = await applyNodeChildren(env, undefined);
    t.same(result, {
      kind: 'waiting',
      waiting: { reason: 'Progressing', message: 'the client Service has no cluster IP yet' },
      images: { node: TEST_SETTINGS.defaultNodeImage },
    });
    t.same(writes(kube.calls), [
      'apply services/minimal',
      'apply services/minimal-headless',
      'apply networkpolicies/minimal',
    ]);
    t.same(
      kube.calls.filter((c) => c.verb === 'apply').map((c) => c.fieldManager),
      [FIELD_MANAGER, FIELD_MANAGER, FIELD_MANAGER],
    );
    t.equal(kube.stored(CONFIGMAPS, NS, 'minimal-config'), undefined, 'no ConfigMap before an address');
    t.equal(kube.stored(STATEFULSETS, NS, 'minimal'), undefined);
  },
);

t.test('ClusterIP with an IP: the ConfigMap and the StatefulSet follow, with the address', async (t) => {
  const kube = allocated();
  const { env } = passFor(minimal, { kube });
  const result = applied(await applyNodeChildren(env, undefined));
  t.equal(result.advertisedAddress, CLUSTER_IP);
  t.same(result.images, { node: TEST_SETTINGS.defaultNodeImage });
  t.notOk('clientTls' in result, 'no client TLS without REST TLS');
  t.same(writes(kube.calls), [
    'apply services/minimal-headless',
    'apply networkpolicies/minimal',
    'apply configmaps/minimal-config',
    'apply statefulsets/minimal',
  ]);
  t.equal(configData(kube, 'minimal')['EXTERNAL_IP'], CLUSTER_IP);
  const stored = kube.stored(STATEFULSETS, NS, 'minimal');
  t.same(result.statefulSet, stored, 'the StatefulSet as the API returned it');
  t.equal(result.statefulSet.metadata.resourceVersion, stored?.metadata.resourceVersion);
  t.type(template(stored).metadata.annotations[ANNOTATION_CONFIG_HASH], 'string');
  t.notOk(
    template(stored).spec.volumes.some((v) => v.name === 'rest-tls'),
    'no REST TLS volume',
  );
  t.equal(kube.callsOf('get', SECRETS).length + kube.callsOf('apply', SECRETS).length, 0);
});

t.test('steady state writes nothing; a forced pass applies every child again', async (t) => {
  const kube = allocated();
  await applyNodeChildren(passFor(minimal, { kube }).env, undefined);
  const before = kube.calls.length;
  const second = applied(await applyNodeChildren(passFor(minimal, { kube }).env, undefined));
  t.same(writes(kube.calls.slice(before)), [], 'no write');
  t.equal(second.statefulSet.metadata.name, 'minimal');
  const forced = kube.calls.length;
  await applyNodeChildren(passFor(minimal, { kube, forceApply: true }).env, undefined);
  t.same(writes(kube.calls.slice(forced)), [
    'apply services/minimal',
    'apply services/minimal-headless',
    'apply networkpolicies/minimal',
    'apply configmaps/minimal-config',
    'apply statefulsets/minimal',
  ]);
});

t.test('LoadBalancer: WaitingForLoadBalancer until the ingress reports an IP', async (t) => {
  const pending = passFor(lb);
  const none = await applyNodeChildren(pending.env, undefined);
  t.match(none, { kind: 'waiting', waiting: { reason: 'WaitingForLoadBalancer' } });
  t.equal(pending.kube.callsOf('apply', CONFIGMAPS).length, 0);

  const hostOnly = new FakeKube();
  seedClientService(hostOnly, lb, {
    spec: { clusterIP: CLUSTER_IP },
    status: { loadBalancer: { ingress: [{ hostname: 'lb.example.com' }] } },
  });
  const host = await applyNodeChildren(passFor(lb, { kube: hostOnly }).env, undefined);
  t.match(host, {
    kind: 'waiting',
    waiting: { reason: 'WaitingForLoadBalancer', message: /lb\.example\.com/ },
  });
  t.equal(hostOnly.callsOf('apply', STATEFULSETS).length, 0);

  const withIp = new FakeKube();
  seedClientService(withIp, lb, {
    spec: { clusterIP: CLUSTER_IP },
    status: { loadBalancer: { ingress: [{ ip: '203.0.113.9' }] } },
  });
  const ok = applied(await applyNodeChildren(passFor(lb, { kube: withIp }).env, undefined));
  t.equal(ok.advertisedAddress, '203.0.113.9');
  t.equal(configData(withIp, 'master-lb')['EXTERNAL_IP'], '203.0.113.9');
});

t.test('Overlay: the configured IP, whatever the Service has', async (t) => {
  const { env, kube } = passFor(overlay);
  const result = applied(await applyNodeChildren(env, undefined));
  t.equal(result.advertisedAddress, '10.8.0.5');
  t.equal(configData(kube, 'master-overlay')['EXTERNAL_IP'], '10.8.0.5');
});

t.test('the ledger inputs reach the ConfigMap of an external ledger', async (t) => {
  const ext = crFromFixture('external-minimal.yaml');
  const kube = allocated(ext);
  const { ledger } = inputsFor(ext);
  const result = applied(await applyNodeChildren(passFor(ext, { kube }).env, ledger));
  t.equal(configData(kube, 'master-ext-min')['DB_IP'], '10.20.30.40');
  t.equal(result.advertisedAddress, CLUSTER_IP);
});

t.test('images: the settings default, the spec override, the managed ledger image', async (t) => {
  t.same(imagesOf(passFor(minimal).env), { node: TEST_SETTINGS.defaultNodeImage });
  t.same(imagesOf(passFor(withSpec(minimal, { image: 'example.com/custom:2' })).env), {
    node: 'example.com/custom:2',
  });
  t.same(imagesOf(passFor(crFromSample('managed')).env).ledger, TEST_SETTINGS.defaultLedgerImage);
  const kube = allocated();
  const custom = withSpec(minimal, { image: 'example.com/custom:2' });
  const result = applied(await applyNodeChildren(passFor(custom, { kube }).env, undefined));
  t.same(result.images, { node: 'example.com/custom:2' });
  t.match(JSON.stringify(kube.stored(STATEFULSETS, NS, 'minimal')), /example\.com\/custom:2/);
});

t.test("the operator's pods: namespace only when known, labels from the settings", async (t) => {
  t.same(operatorPodsOf(passFor(minimal).env), { labels: DEFAULT_OPERATOR_POD_LABELS });
  t.same(operatorPodsOf(passFor(minimal, { settings: { podNamespace: '' } }).env), {
    labels: DEFAULT_OPERATOR_POD_LABELS,
  });
  const labels = { app: 'op' };
  t.same(
    operatorPodsOf(passFor(minimal, { settings: { podNamespace: 'ops', operatorPodLabels: labels } }).env),
    {
      namespace: 'ops',
      labels,
    },
  );

  const { env, kube } = passFor(minimal, { settings: { podNamespace: 'ops', operatorPodLabels: labels } });
  await applyNodeChildren(env, undefined);
  const policy = JSON.stringify(kube.callsOf('apply', NETWORKPOLICIES)[0]?.body);
  t.match(policy, /"kubernetes.io\/metadata.name":"ops"/);
  t.match(policy, /"podSelector":\{"matchLabels":\{"app":"op"\}\}/);
});

const noPolicy = withSpec(minimal, { networkPolicy: { enabled: false } });
const policyObject = (labels: Record<string, string>): KubeObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'minimal', namespace: NS, labels },
  spec: {},
});
const ourLabels = { [LABEL_MANAGED_BY]: MANAGED_BY, [LABEL_INSTANCE]: 'minimal' };

t.test('networkPolicy disabled: our policy is deleted, from the cache or a direct read', async (t) => {
  for (const cached of [true, false]) {
    const { env, kube } = passFor(noPolicy);
    kube.seed(NETWORKPOLICIES, policyObject(ourLabels), { cached });
    await applyNodeChildren(env, undefined);
    t.same(
      kube.callsOf('delete', NETWORKPOLICIES).map((c) => c.ref),
      [{ namespace: NS, name: 'minimal' }],
      `cached: ${String(cached)}`,
    );
    t.equal(kube.stored(NETWORKPOLICIES, NS, 'minimal'), undefined);
    t.equal(kube.callsOf('apply', NETWORKPOLICIES).length, 0);
  }
});

t.test("networkPolicy disabled: someone else's policy and a missing one are left alone", async (t) => {
  const foreign = passFor(noPolicy);
  foreign.kube.seed(NETWORKPOLICIES, policyObject({}), { cached: false });
  t.match(await applyNodeChildren(foreign.env, undefined), { kind: 'waiting' }, 'not a conflict');
  t.equal(foreign.kube.callsOf('delete').length, 0);
  t.ok(foreign.kube.stored(NETWORKPOLICIES, NS, 'minimal'));

  const other = passFor(noPolicy);
  other.kube.seed(NETWORKPOLICIES, policyObject({ ...ourLabels, [LABEL_INSTANCE]: 'other' }));
  await applyNodeChildren(other.env, undefined);
  t.equal(other.kube.callsOf('delete').length, 0, 'another instance keeps its policy');

  const none = passFor(noPolicy);
  await applyNodeChildren(none.env, undefined);
  t.equal(none.kube.callsOf('delete').length, 0);
  t.same(
    none.kube.callsOf('get', NETWORKPOLICIES).map((c) => c.ref),
    [{ namespace: NS, name: 'minimal' }],
  );
});

t.test('networkPolicy disabled: a failed delete ends the step', async (t) => {
  const { env, kube } = passFor(noPolicy);
  kube.seed(NETWORKPOLICIES, policyObject(ourLabels));
  const boom = serverError();
  kube.failNext('delete', boom, NETWORKPOLICIES);
  await t.rejects(applyNodeChildren(env, undefined), boom);
});

t.test('a child of another owner stops the step before anything after it', async (t) => {
  const { env, kube } = passFor(minimal);
  kube.seed(
    SERVICES,
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'minimal-headless', namespace: NS }, spec: {} },
    { cached: false },
  );
  await t.rejects(applyNodeChildren(env, undefined), ResourceConflictError);
  t.same(writes(kube.calls), ['apply services/minimal']);
});

t.test('API errors end the step where they happen', async (t) => {
  const first = passFor(minimal);
  const boom = serverError();
  first.kube.failNext('apply', boom, SERVICES);
  await t.rejects(applyNodeChildren(first.env, undefined), boom);
  t.same(writes(first.kube.calls), ['apply services/minimal']);

  const kube = allocated();
  const clash = conflict();
  kube.failNext('apply', clash, STATEFULSETS);
  await t.rejects(applyNodeChildren(passFor(minimal, { kube }).env, undefined), clash);
  t.ok(kube.stored(CONFIGMAPS, NS, 'minimal-config'), 'the ConfigMap before it was applied');
});

const tlsCr = withSpec(minimal, { rest: { tls: { enabled: true } } });

t.test('REST TLS: the Secrets come before the pod, which mounts the server Secret', async (t) => {
  const kube = allocated(tlsCr);
  const { env } = passFor(tlsCr, { kube });
  const result = applied(await applyNodeChildren(env, undefined));
  t.same(writes(kube.calls), [
    'apply services/minimal-headless',
    'apply networkpolicies/minimal',
    'apply secrets/minimal-rest-ca',
    'apply secrets/minimal-rest-tls',
    'apply secrets/minimal-rest-client',
    'apply configmaps/minimal-config',
    'apply statefulsets/minimal',
  ]);
  t.equal(result.clientTls?.servername, 'minimal-0.minimal-headless.anylog.svc');
  const caData = kube.stored(SECRETS, NS, 'minimal-rest-ca')?.['data'] as Record<string, string>;
  t.equal(result.clientTls?.ca, Buffer.from(caData['tls.crt'] ?? '', 'base64').toString('utf8'));
  const pod = template(kube.stored(STATEFULSETS, NS, 'minimal'));
  t.equal(pod.spec.volumes.find((v) => v.name === 'rest-tls')?.secret?.secretName, 'minimal-rest-tls');
  const config = JSON.stringify(kube.stored(CONFIGMAPS, NS, 'minimal-config'));
  t.notMatch(config, /PRIVATE KEY|BEGIN CERTIFICATE/, 'no certificate or key in the ConfigMap');
  t.notMatch(JSON.stringify(kube.stored(STATEFULSETS, NS, 'minimal')), /PRIVATE KEY|BEGIN CERTIFICATE/);

  const before = kube.calls.length;
  await applyNodeChildren(passFor(tlsCr, { kube }).env, undefined);
  t.same(writes(kube.calls.slice(before)), [], 'steady with TLS too');
});

t.test('REST TLS with a missing user Secret: Stalled, no ConfigMap and no StatefulSet', async (t) => {
  const userTls = withSpec(minimal, {
    rest: { tls: { enabled: true, secretName: 'node-tls', clientSecretName: 'op-client' } },
  });
  const kube = allocated(userTls);
  const result = await applyNodeChildren(passFor(userTls, { kube }).env, undefined);
  t.same(result, {
    kind: 'stalled',
    stalled: { reason: 'SecretNotFound', message: 'Secret node-tls not found in namespace anylog' },
    images: { node: TEST_SETTINGS.defaultNodeImage },
  });
  t.equal(kube.callsOf('apply', CONFIGMAPS).length + kube.callsOf('apply', STATEFULSETS).length, 0);
});

t.test('REST TLS waits for the address before issuing anything', async (t) => {
  const { env, kube } = passFor(tlsCr);
  t.match(await applyNodeChildren(env, undefined), { kind: 'waiting', waiting: { reason: 'Progressing' } });
  t.equal(kube.callsOf('get', SECRETS).length + kube.callsOf('apply', SECRETS).length, 0);
});

t.test('asKube copies the rendered object', async (t) => {
  const rendered = renderClientService(minimal, { operatorVersion: '1' });
  const copy = asKube(rendered);
  t.same(copy, rendered);
  t.not(copy, rendered);
});
