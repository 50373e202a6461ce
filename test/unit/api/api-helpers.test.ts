import t from 'tap';
import { applySpecDefaults, effectiveImages, resolveSpec } from '../../../src/api/defaults.js';
import {
  ANNOTATION_CONFIG_HASH,
  FINALIZER_CLEANUP,
  LABEL_VERSION,
  commonLabels,
  instanceSelector,
  isManagedByUs,
  selectorLabels,
} from '../../../src/api/labels.js';
import * as names from '../../../src/api/names.js';
import { desiredMasterPolicy } from '../../../src/api/policy.js';
import { LEADER_ELECTION_RULES, OPERATOR_RULES, allows } from '../../../src/api/rbac.js';
import {
  CONDITION_REASONS,
  CONDITION_TYPES,
  REASONS,
  READY_BLOCKED_REASONS,
  REQUIRED_PROCESSES,
} from '../../../src/api/conditions.js';
import { ANYLOG_MASTER_RESOURCE } from '../../../src/api/schema.js';
import type { AnyLogMasterSpec } from '../../../src/api/types.js';
import { stored, validFixtures } from './fixtures.js';

const cr = { metadata: { name: 'master', namespace: 'anylog' } };

t.test('derived names', async (t) => {
  t.equal(names.nodeStatefulSetName(cr), 'master');
  t.equal(names.clientServiceName(cr), 'master');
  t.equal(names.headlessServiceName(cr), 'master-headless');
  t.equal(names.configMapName(cr), 'master-config');
  t.equal(names.nodePodName(cr), 'master-0');
  t.equal(names.nodePvcName(cr), 'data-master-0');
  t.equal(names.ledgerCredentialsSecretName(cr), 'master-ledger-credentials');
  t.equal(names.ledgerStatefulSetName(cr), 'master-ledger');
  t.equal(names.ledgerServiceName(cr), 'master-ledger');
  t.equal(names.ledgerHeadlessServiceName(cr), 'master-ledger-headless');
  t.equal(names.ledgerPvcName(cr), 'pgdata-master-ledger-0');
  t.equal(names.ledgerServiceHost(cr), 'master-ledger.anylog.svc');
  t.equal(names.nodePodHost(cr), 'master-0.master-headless.anylog.svc');
  t.equal(names.ledgerServiceHost({ metadata: { name: 'm' } }), 'm-ledger.default.svc');
  t.equal(names.nodePodHost({ metadata: { name: 'm' } }), 'm-0.m-headless.default.svc');
});

t.test('names of a 45-character CR stay valid (Services: DNS-1035 labels; others: subdomains)', async (t) => {
  const long = { metadata: { name: 'm'.repeat(45) } };
  const labels = [
    names.headlessServiceName(long),
    names.ledgerServiceName(long),
    names.ledgerHeadlessServiceName(long),
  ];
  for (const n of labels)
    t.ok(/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/.test(n), `${n.length}: ${n} is a DNS-1035 label`);
  // the StatefulSet controller puts `<statefulset>-<10-char hash>` into a label value (max 63)
  t.ok(names.ledgerStatefulSetName(long).length + 11 <= 63);
  for (const n of [
    names.ledgerCredentialsSecretName(long),
    names.ledgerPvcName(long),
    names.nodePvcName(long),
  ]) {
    t.ok(n.length <= 253 && /^[a-z0-9][-a-z0-9.]*[a-z0-9]$/.test(n), `${n} is a DNS subdomain`);
  }
});

t.test('labels: selector is a stable subset of the common labels', async (t) => {
  const common = commonLabels(cr, '1.2.3');
  const selector = selectorLabels(cr);
  t.same(selector, {
    'app.kubernetes.io/name': 'anylog',
    'app.kubernetes.io/instance': 'master',
    'app.kubernetes.io/component': 'master',
  });
  for (const [k, v] of Object.entries(selector)) t.equal(common[k], v);
  t.equal(common[LABEL_VERSION], '1.2.3');
  t.equal(common['app.kubernetes.io/managed-by'], 'anylog-operator');
  t.equal(common['app.kubernetes.io/part-of'], 'anylog');
  t.same(selectorLabels(cr), selectorLabels(cr), 'no time-varying value');
  t.equal(selectorLabels(cr, 'ledger')['app.kubernetes.io/component'], 'ledger');
  t.equal(
    instanceSelector(cr),
    'app.kubernetes.io/managed-by=anylog-operator,app.kubernetes.io/instance=master',
  );
  t.ok(isManagedByUs(common));
  t.notOk(isManagedByUs({ 'app.kubernetes.io/managed-by': 'helm' }));
  t.notOk(isManagedByUs(undefined));
  t.equal(ANNOTATION_CONFIG_HASH, 'anylog.co/config-hash');
  t.equal(FINALIZER_CLEANUP, 'anylog.co/cleanup');
});

t.test('resolveSpec applies every schema default and makes the ledger mode explicit', async (t) => {
  const spec = resolveSpec({ nodeName: 'n', company: 'c' });
  t.match(spec, {
    imagePullPolicy: 'IfNotPresent',
    imagePullSecrets: [],
    network: {
      tcpPort: 32048,
      restPort: 32049,
      tcpBind: false,
      restBind: false,
      tcpThreads: 6,
      restThreads: 6,
      restTimeoutSeconds: 30,
      advertise: { mode: 'ClusterIP' },
    },
    ledger: { mode: 'Embedded' },
    syncIntervalSeconds: 30,
    location: { loc: '0.0, 0.0', country: 'Unknown', state: 'Unknown', city: 'Unknown' },
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '512Mi' } },
    storage: { size: '1Gi' },
    service: { type: 'ClusterIP', annotations: {}, loadBalancerSourceRanges: [] },
    deletionPolicy: 'Retain',
    scheduling: { nodeSelector: {}, tolerations: [], affinity: {}, priorityClassName: '' },
    progressDeadlineSeconds: 600,
  });
  t.ok(Object.isFrozen(spec));
  const ext = resolveSpec({
    nodeName: 'n',
    company: 'c',
    ledger: { external: { host: 'h', credentialsSecretRef: { name: 's' } } },
  });
  t.same(ext.ledger, {
    mode: 'External',
    external: {
      host: 'h',
      port: 5432,
      database: 'blockchain',
      sslMode: 'require',
      credentialsSecretRef: { name: 's', usernameKey: 'username', passwordKey: 'password' },
    },
  });
  const managed = resolveSpec({ nodeName: 'n', company: 'c', ledger: { managed: {} } });
  t.same(managed.ledger, {
    mode: 'Managed',
    managed: {
      storage: { size: '1Gi' },
      resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '512Mi' } },
    },
  });
  const input: AnyLogMasterSpec = { nodeName: 'n', company: 'c' };
  applySpecDefaults(input);
  t.same(input, { nodeName: 'n', company: 'c' }, 'input untouched');
});

t.test('resolveSpec works for every valid fixture', async (t) => {
  for (const f of validFixtures()) {
    const spec = resolveSpec(stored(f.object).spec);
    t.type(spec.network.tcpPort, 'number', f.file);
    t.type(spec.storage.size, 'string', f.file);
  }
});

t.test(
  'effective images: spec first, operator settings otherwise; ledger image only when managed',
  async (t) => {
    const defaults = { nodeImage: 'node:default', ledgerImage: 'pg:default' };
    t.same(effectiveImages(resolveSpec({ nodeName: 'n', company: 'c' }), defaults), { node: 'node:default' });
    t.same(effectiveImages(resolveSpec({ nodeName: 'n', company: 'c', image: 'mine' }), defaults), {
      node: 'mine',
    });
    t.same(effectiveImages(resolveSpec({ nodeName: 'n', company: 'c', ledger: { managed: {} } }), defaults), {
      node: 'node:default',
      ledger: 'pg:default',
    });
    t.same(
      effectiveImages(
        resolveSpec({ nodeName: 'n', company: 'c', ledger: { managed: { image: 'pg:17' } } }),
        defaults,
      ),
      {
        node: 'node:default',
        ledger: 'pg:17',
      },
    );
  },
);

t.test(
  'desired master policy: fixed key order, address in ip and local_ip, pod name as hostname',
  async (t) => {
    const policy = desiredMasterPolicy(
      {
        metadata: { name: 'master' },
        spec: { nodeName: 'anylog-master', company: 'New Company', network: { tcpPort: 40000 } },
      },
      '10.96.12.7',
    );
    t.same(Object.keys(policy), ['master']);
    t.same(Object.keys(policy.master), [
      'name',
      'company',
      'hostname',
      'ip',
      'local_ip',
      'port',
      'rest_port',
      'loc',
      'country',
      'state',
      'city',
    ]);
    t.same(policy.master, {
      name: 'anylog-master',
      company: 'New Company',
      hostname: 'master-0',
      ip: '10.96.12.7',
      local_ip: '10.96.12.7',
      port: 40000,
      rest_port: 32049,
      loc: '0.0, 0.0',
      country: 'Unknown',
      state: 'Unknown',
      city: 'Unknown',
    });
  },
);

t.test(
  'RBAC covers every kind the renderers and the controller touch, delete only for NetworkPolicies',
  async (t) => {
    const need: [string, string, string[]][] = [
      ['anylog.co', ANYLOG_MASTER_RESOURCE.plural, ['get', 'list', 'watch', 'patch']],
      ['anylog.co', 'anylogmasters/status', ['patch']],
      ['anylog.co', 'anylogmasters/finalizers', ['update']],
      ['apps', 'statefulsets', ['get', 'list', 'watch', 'create', 'patch']],
      ['', 'services', ['get', 'list', 'watch', 'create', 'patch']],
      ['', 'configmaps', ['get', 'list', 'watch', 'create', 'patch']],
      ['', 'secrets', ['get', 'list', 'watch', 'create', 'patch']],
      ['networking.k8s.io', 'networkpolicies', ['get', 'list', 'watch', 'create', 'patch', 'delete']],
      ['', 'pods', ['get', 'list', 'watch']],
      ['', 'persistentvolumeclaims', ['get', 'list', 'watch']],
      ['events.k8s.io', 'events', ['create', 'patch']],
      ['batch', 'cronjobs', ['get', 'list', 'watch', 'create', 'patch']],
      ['batch', 'jobs', ['get', 'list', 'watch', 'create', 'patch']],
    ];
    for (const [group, resource, verbs] of need) {
      for (const verb of verbs)
        t.ok(allows(OPERATOR_RULES, group, resource, verb), `${verb} ${group}/${resource}`);
    }
    // Children go with their owner (garbage collection); the one deletion is the node NetworkPolicy when
    // spec.networkPolicy is switched off.
    t.same(
      OPERATOR_RULES.filter((r) => r.verbs.includes('delete')).map((r) => r.resources),
      [['networkpolicies']],
      'delete only on networkpolicies',
    );
    t.notOk(allows(OPERATOR_RULES, 'apiextensions.k8s.io', 'customresourcedefinitions', 'create'));
    t.notOk(allows(OPERATOR_RULES, '', 'pods', 'patch'));
    t.ok(allows(LEADER_ELECTION_RULES, 'coordination.k8s.io', 'leases', 'update'));
  },
);

t.test('condition reasons are PascalCase members of the registry', async (t) => {
  const all = new Set<string>(Object.values(REASONS));
  for (const [key, value] of Object.entries(REASONS)) {
    t.equal(key, value);
    t.match(value, /^[A-Z][A-Za-z]+$/);
  }
  for (const [type, byStatus] of Object.entries(CONDITION_REASONS)) {
    t.ok(type in CONDITION_TYPES);
    for (const reasons of Object.values(byStatus) as readonly string[][]) {
      for (const reason of reasons) t.ok(all.has(reason), `${type}: ${reason}`);
    }
  }
  t.ok(READY_BLOCKED_REASONS.includes('InvalidSpec'));
  t.same([...REQUIRED_PROCESSES], ['TCP', 'REST', 'Blockchain Sync', 'Scheduler']);
});
