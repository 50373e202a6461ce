import t from 'tap';
import { ANNOTATION_CONFIG_HASH, LABEL_VERSION } from '../../../src/api/labels.js';
import { renderConfigData } from '../../../src/render/configmap.js';
import { RenderInputError } from '../../../src/render/errors.js';
import { computeConfigHash, renderNodeStatefulSet } from '../../../src/render/statefulset.js';
import type { AnyLogMaster } from '../../../src/api/types.js';
import type { RenderInputs } from '../../../src/render/inputs.js';
import { allCrs, crFromFixture, crFromSample, inputsFor } from './helpers.js';

const hashOf = (cr: AnyLogMaster, inputs: RenderInputs): string | undefined =>
  renderNodeStatefulSet(cr, inputs).spec.template.metadata.annotations?.[ANNOTATION_CONFIG_HASH];

t.test('pod template essentials', async (t) => {
  const cr = crFromSample('external');
  const sts = renderNodeStatefulSet(cr, inputsFor(cr));
  t.match(sts, {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'master-external', namespace: 'anylog' },
    spec: {
      replicas: 1,
      serviceName: 'master-external-headless',
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate' },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
    },
  });
  const pod = sts.spec.template.spec;
  t.equal(pod.enableServiceLinks, false);
  t.equal(pod.terminationGracePeriodSeconds, 30);
  t.same(pod.securityContext, {
    runAsNonRoot: true,
    runAsUser: 10001,
    runAsGroup: 10001,
    fsGroup: 10001,
    seccompProfile: { type: 'RuntimeDefault' },
  });
  const c = pod.containers[0];
  if (c === undefined) throw new Error('no container');
  t.same(c.command, ['anylog-node', '/etc/anylog/scripts/master.al']);
  t.equal(c.image, 'example.com/anylog:1');
  t.same(c.securityContext, {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    capabilities: { drop: ['ALL'] },
  });
  t.same(c.envFrom, [{ configMapRef: { name: 'master-external-config' } }]);
  t.same(c.startupProbe, { tcpSocket: { port: 'rest' }, periodSeconds: 2, failureThreshold: 60 });
  t.same(c.readinessProbe, {
    httpGet: {
      path: '/',
      port: 'rest',
      httpHeaders: [
        { name: 'User-Agent', value: 'AnyLog/1.23' },
        { name: 'command', value: 'get status' },
      ],
    },
    periodSeconds: 10,
  });
  t.same(c.livenessProbe, { tcpSocket: { port: 'tcp' }, periodSeconds: 20, failureThreshold: 3 });
  t.same(
    c.volumeMounts.filter((m) => m.name === 'data').map((m) => [m.mountPath, m.subPath]),
    [
      ['/app/AnyLog-Network/anylog', 'anylog'],
      ['/app/AnyLog-Network/blockchain', 'blockchain'],
      ['/app/AnyLog-Network/data', 'data'],
    ],
  );
  t.match(c.volumeMounts, [{ name: 'scripts', mountPath: '/etc/anylog/scripts', readOnly: true }]);
  t.same(pod.volumes.find((v) => v.name === 'scripts')?.configMap, {
    name: 'master-external-config',
    items: [{ key: 'master.al', path: 'master.al' }],
    defaultMode: 0o444,
  });
  t.same(c.resources, { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '512Mi' } });
});

t.test('explicit env: downward API always, credentials by secretKeyRef only in psql modes', async (t) => {
  const ext = crFromSample('external');
  const env = renderNodeStatefulSet(ext, inputsFor(ext)).spec.template.spec.containers[0]?.env ?? [];
  t.same(env, [
    { name: 'INTERNAL_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
    { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
    { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    { name: 'DB_USER', valueFrom: { secretKeyRef: { name: 'anylog-ledger', key: 'username' } } },
    { name: 'DB_PASSWD', valueFrom: { secretKeyRef: { name: 'anylog-ledger', key: 'password' } } },
  ]);
  t.notOk(
    env.some((e) => e.value !== undefined),
    'no literal values',
  );
  const emb = crFromSample('embedded');
  t.same(
    renderNodeStatefulSet(emb, inputsFor(emb)).spec.template.spec.containers[0]?.env.map((e) => e.name),
    ['INTERNAL_IP', 'POD_IP', 'POD_NAME'],
  );
  t.throws(
    () => renderNodeStatefulSet(ext, { ...inputsFor(ext), ledger: undefined } as never),
    RenderInputError,
  );
});

t.test('selector matches the template labels; the claim template carries no version', async (t) => {
  for (const { file, cr } of allCrs()) {
    const sts = renderNodeStatefulSet(cr, inputsFor(cr));
    const labels = sts.spec.template.metadata.labels;
    for (const [k, v] of Object.entries(sts.spec.selector.matchLabels))
      t.equal(labels[k], v, `${file}: ${k}`);
    t.notOk(LABEL_VERSION in sts.spec.selector.matchLabels);
    const claim = sts.spec.volumeClaimTemplates[0];
    t.equal(claim?.metadata.name, 'data');
    t.notOk(claim !== undefined && LABEL_VERSION in claim.metadata.labels, `${file}: claim labels stable`);
    t.same(sts.metadata.ownerReferences, [
      {
        apiVersion: 'anylog.co/v1alpha1',
        kind: 'AnyLogMaster',
        name: cr.metadata.name,
        uid: cr.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
  }
});

t.test('spec fields reach the pod: storage, retention, scheduling, pull secrets', async (t) => {
  const full = crFromFixture('full.yaml');
  const sts = renderNodeStatefulSet(full, inputsFor(full));
  t.same(sts.spec.volumeClaimTemplates[0]?.spec, {
    accessModes: ['ReadWriteOnce'],
    resources: { requests: { storage: '1Gi' } },
    storageClassName: 'standard',
  });
  const pod = sts.spec.template.spec;
  t.equal(
    pod.containers[0]?.image,
    'ghcr.io/example/anylog-operator:0.1.0',
    'the effective image is the input',
  );
  t.same(pod.imagePullSecrets, [{ name: 'regcred' }]);
  t.same(pod.nodeSelector, { 'kubernetes.io/os': 'linux' });
  t.same(pod.tolerations, [{ key: 'dedicated', operator: 'Equal', value: 'anylog', effect: 'NoSchedule' }]);
  t.match(pod.affinity, { nodeAffinity: {} });
  t.notOk('priorityClassName' in pod, 'empty priority class omitted');

  const managed = crFromSample('managed');
  const msts = renderNodeStatefulSet(managed, inputsFor(managed));
  t.same(msts.spec.persistentVolumeClaimRetentionPolicy, { whenDeleted: 'Delete', whenScaled: 'Retain' });
  t.equal(msts.spec.volumeClaimTemplates[0]?.spec.resources.requests.storage, '2Gi');
  const minimal = renderNodeStatefulSet(
    crFromFixture('minimal.yaml'),
    inputsFor(crFromFixture('minimal.yaml')),
  );
  t.notOk('storageClassName' in (minimal.spec.volumeClaimTemplates[0]?.spec ?? {}));
  for (const key of ['imagePullSecrets', 'nodeSelector', 'tolerations', 'affinity'])
    t.notOk(key in minimal.spec.template.spec, `no empty ${key}`);
});

t.test(
  'the config hash changes with rendered inputs and the Secret version, not with the operator version',
  async (t) => {
    const cr = crFromSample('external');
    const base = inputsFor(cr);
    const hash = hashOf(cr, base);
    t.match(hash, /^[0-9a-f]{64}$/);
    t.equal(hashOf(cr, inputsFor(cr)), hash, 'same inputs, same hash');
    t.not(hashOf(cr, { ...base, advertisedAddress: '10.96.0.99' }), hash, 'address');
    const ledger = base.ledger;
    if (ledger === undefined) throw new Error('external needs ledger inputs');
    t.not(
      hashOf(cr, {
        ...base,
        ledger: { ...ledger, credentials: { ...ledger.credentials, resourceVersion: '18' } },
      }),
      hash,
      'Secret resourceVersion',
    );
    t.not(
      hashOf(cr, {
        ...base,
        ledger: { ...ledger, credentials: { ...ledger.credentials, secretName: 'other' } },
      }),
      hash,
      'Secret name',
    );
    t.not(
      hashOf(cr, { ...base, ledger: { ...ledger, endpoint: { ...ledger.endpoint, host: '10.1.1.1' } } }),
      hash,
      'ledger host',
    );
    t.not(hashOf({ ...cr, spec: { ...cr.spec, syncIntervalSeconds: 31 } }, base), hash, 'spec change');
    t.equal(
      hashOf(cr, { ...base, operatorVersion: '9.9.9' }),
      hash,
      'operator upgrade does not roll the pod',
    );
    t.equal(
      hashOf(cr, { ...base, images: { node: 'other:2' } }),
      hash,
      'image changes roll through the template, not the hash',
    );
    t.equal(hash, computeConfigHash(renderConfigData(cr, base), ledger.credentials));
    t.not(computeConfigHash({ a: '1' }), computeConfigHash({ a: '2' }));
  },
);

t.test('rendering is deterministic and does not mutate the CR', async (t) => {
  for (const { file, cr } of allCrs()) {
    const before = JSON.stringify(cr);
    const a = JSON.stringify(renderNodeStatefulSet(cr, inputsFor(cr)));
    t.equal(JSON.stringify(renderNodeStatefulSet(cr, inputsFor(cr))), a, `${file}: deterministic`);
    t.equal(JSON.stringify(cr), before, `${file}: CR untouched`);
  }
});
