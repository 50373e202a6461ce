// The node's NetworkPolicy: ingress only, the TCP port from tcpPeers (the whole cluster when empty),
// the REST port from the operator's pods and restClients, selecting exactly the node pod; none when
// disabled. Plus the schema defaults of spec.networkPolicy and the rejection of an empty peer.
import t from 'tap';
import { applySpecDefaults } from '../../../src/api/defaults.js';
import { validateAnyLogMaster } from '../../../src/api/validate.js';
import type { AnyLogMaster } from '../../../src/api/types.js';
import {
  DEFAULT_OPERATOR_POD_LABELS,
  renderNetworkPolicy,
  renderNodeStatefulSet,
  renderAll,
} from '../../../src/render/index.js';
import { allCrs, crFromFixture, inputsFor } from './helpers.js';

const operatorPods = { namespace: 'anylog-system', labels: { 'app.kubernetes.io/name': 'anylog-operator' } };

/** Whether the whole CR (with this spec) passes the operator's validation. */
const valid = (cr: AnyLogMaster): boolean =>
  validateAnyLogMaster({ apiVersion: cr.apiVersion, kind: cr.kind, metadata: cr.metadata, spec: cr.spec }).ok;

function withPolicy(cr: AnyLogMaster, networkPolicy: Record<string, unknown>): AnyLogMaster {
  return { ...cr, spec: { ...cr.spec, networkPolicy } };
}

t.test('defaults: enabled, no listed peers', async (t) => {
  const spec = applySpecDefaults({ nodeName: 'm', company: 'Acme' }) as Record<string, unknown>;
  t.same(spec['networkPolicy'], { enabled: true, tcpPeers: [], restClients: [] });
});

t.test('every fixture gets a policy selecting its node pod, ingress only, two ports', async (t) => {
  for (const { file, cr } of allCrs()) {
    const inputs = inputsFor(cr);
    const np = renderNetworkPolicy(cr, { ...inputs, operatorPods });
    if (np === undefined) {
      t.equal(cr.spec.networkPolicy?.enabled, false, `${file}: only a disabled policy renders nothing`);
      continue;
    }
    const pod = renderNodeStatefulSet(cr, inputs).spec.template.metadata.labels;
    for (const [k, v] of Object.entries(np.spec.podSelector.matchLabels ?? {})) {
      t.equal(pod[k], v, `${file}: selects the node pod by ${k}`);
    }
    t.same(np.spec.policyTypes, ['Ingress'], `${file}: egress (DNS included) is not restricted`);
    t.same(
      np.spec.ingress.map((r) => r.ports),
      [[{ port: 'tcp', protocol: 'TCP' }], [{ port: 'rest', protocol: 'TCP' }]],
      `${file}: the named TCP and REST ports and nothing else`,
    );
    t.equal(np.metadata.name, cr.metadata.name);
    t.equal(np.metadata.namespace, cr.metadata.namespace);
    t.equal(np.metadata.ownerReferences?.length, 1, `${file}: owned by the CR`);
  }
});

t.test('empty tcpPeers opens the TCP port to every namespace; REST to the operator only', async (t) => {
  const cr = crFromFixture('minimal.yaml');
  const np = renderNetworkPolicy(cr, { operatorVersion: '0.1.0', operatorPods });
  t.same(np?.spec.ingress[0]?.from, [{ namespaceSelector: {} }]);
  t.same(np?.spec.ingress[1]?.from, [
    {
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'anylog-system' } },
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'anylog-operator' } },
    },
  ]);
});

t.test('listed peers and clients are copied through; the operator comes first on REST', async (t) => {
  const peer = {
    namespaceSelector: { matchLabels: { team: 'edge' } },
    podSelector: { matchExpressions: [{ key: 'role', operator: 'In', values: ['operator', 'query'] }] },
  };
  const client = { ipBlock: { cidr: '10.10.0.0/16', except: ['10.10.1.0/24'] } };
  const cr = withPolicy(crFromFixture('minimal.yaml'), { tcpPeers: [peer], restClients: [client] });
  t.ok(valid(cr), 'the spec is valid');
  const np = renderNetworkPolicy(cr, { operatorVersion: '0.1.0', operatorPods });
  t.same(np?.spec.ingress[0]?.from, [peer]);
  t.equal(np?.spec.ingress[1]?.from.length, 2);
  t.same(np?.spec.ingress[1]?.from[1], client);
  const labels = np?.spec.ingress[0]?.from[0]?.namespaceSelector?.matchLabels;
  if (labels !== undefined) labels['team'] = 'changed';
  t.equal(
    peer.namespaceSelector.matchLabels.team,
    'edge',
    'the rendered object shares nothing with the spec',
  );
});

t.test('the backup and restore Job pods of the master may reach REST, only when asked for', async (t) => {
  const base = crFromFixture('minimal.yaml');
  const cr: AnyLogMaster = {
    ...base,
    spec: {
      ...base.spec,
      backup: { schedule: '0 * * * *', claimName: 'backups' },
      ledger: { embedded: {}, restoreFrom: { claimName: 'backups', file: 'm-20260101T000000Z.json.gz' } },
    },
  };
  t.ok(valid(cr), 'the spec is valid');
  const np = renderNetworkPolicy(cr, { operatorVersion: '0.1.0', operatorPods });
  const jobPods = (component: string) => ({
    podSelector: {
      matchLabels: {
        'app.kubernetes.io/name': 'anylog',
        'app.kubernetes.io/instance': cr.metadata.name,
        'app.kubernetes.io/component': component,
      },
    },
  });
  t.same(np?.spec.ingress[1]?.from.slice(1), [jobPods('backup'), jobPods('restore')]);
  t.same(np?.spec.ingress[0]?.from, [{ namespaceSelector: {} }], 'the TCP port is unchanged');
  t.equal(
    renderNetworkPolicy(base, { operatorVersion: '0.1.0', operatorPods })?.spec.ingress[1]?.from.length,
    1,
    'without backup or restore only the operator reaches REST',
  );
});

t.test('an operator of unknown namespace is matched by its labels in any namespace', async (t) => {
  const np = renderNetworkPolicy(crFromFixture('minimal.yaml'), { operatorVersion: '0.1.0' });
  t.same(np?.spec.ingress[1]?.from[0], {
    namespaceSelector: {},
    podSelector: { matchLabels: { ...DEFAULT_OPERATOR_POD_LABELS } },
  });
});

t.test('disabled: nothing rendered, and renderAll leaves it out', async (t) => {
  const cr = withPolicy(crFromFixture('minimal.yaml'), { enabled: false });
  t.equal(renderNetworkPolicy(cr, { operatorVersion: '0.1.0' }), undefined);
  t.notOk(renderAll(cr, inputsFor(cr)).some((o) => o.kind === 'NetworkPolicy'));
  const on = crFromFixture('minimal.yaml');
  const kinds = renderAll(on, inputsFor(on)).map((o) => o.kind);
  t.ok(kinds.indexOf('NetworkPolicy') < kinds.indexOf('StatefulSet'), 'applied before the node pod exists');
});

t.test('schema: an empty peer and an unknown field are rejected', async (t) => {
  const base = crFromFixture('minimal.yaml');
  t.notOk(valid(withPolicy(base, { tcpPeers: [{}] })), 'empty peer');
  t.notOk(valid(withPolicy(base, { restClients: [{ pods: {} }] })), 'unknown field');
  t.notOk(valid(withPolicy(base, { tcpPeers: [{ ipBlock: { cidr: 'not-a-cidr' } }] })), 'bad CIDR');
  t.ok(valid(withPolicy(base, { tcpPeers: [{ podSelector: { matchLabels: { a: 'b' } } }] })));
});
