// The optional NetworkPolicy as rendered (enforcement needs a network plugin that implements it and is
// not tested here): off by default; when on, it selects the operator pods, lets in the metrics and
// health ports only, and lets out only the API server, the pods the operator labels as AnyLog masters and
// managed ledgers (labels from src/api/labels.ts), external ledgers by address, DNS and extra rules.
import t from 'tap';
import { commonLabels } from '../../../src/api/labels.js';
import { only, render, type Obj } from '../../helpers/chart-render.js';

const policies = (objs: Obj[]): Obj[] => objs.filter((o) => o.kind === 'NetworkPolicy');
const tcp = (...ports: (number | string)[]) => ports.map((port) => ({ port, protocol: 'TCP' }));

t.test('no NetworkPolicy by default', async (t) => {
  t.equal(policies(await render()).length, 0);
});

t.test('enabled with defaults', async (t) => {
  const objs = await render(['networkPolicy.enabled=true']);
  const np = only(objs, 'NetworkPolicy');
  const dep = only(objs, 'Deployment');
  t.same(np.spec.podSelector.matchLabels, dep.spec.selector.matchLabels, 'selects the operator pods');
  t.same(np.spec.policyTypes, ['Ingress', 'Egress']);
  t.same(np.spec.ingress, [{ ports: tcp('metrics') }, { ports: tcp('health') }], 'in: metrics and health');
  const named = dep.spec.template.spec.containers[0].ports.map((p: Obj) => p.name);
  t.same(named, ['metrics', 'health'], 'the named ports exist on the operator container');

  const [api, nodes, ledger, dns, ...more] = np.spec.egress;
  t.same(api, { ports: tcp(443, 6443) }, 'API server ports, any address');
  t.same(nodes.ports, tcp(32048, 32049), 'AnyLog TCP and REST ports');
  t.same(ledger.ports, tcp(5432), 'PostgreSQL');
  t.same(
    dns,
    {
      ports: [
        { port: 53, protocol: 'UDP' },
        { port: 53, protocol: 'TCP' },
      ],
    },
    'DNS over UDP and TCP',
  );
  t.same(more, [], 'nothing else');

  const cr = { metadata: { name: 'm' } };
  for (const [rule, component] of [
    [nodes, 'master'],
    [ledger, 'ledger'],
  ] as const) {
    const peer = rule.to[0];
    t.same(peer.namespaceSelector, {}, `${component} pods in every namespace (all watched)`);
    t.match(
      commonLabels(cr, '1.2.3', component),
      peer.podSelector.matchLabels,
      `selects the ${component} pods`,
    );
    t.notMatch(
      commonLabels(cr, '1.2.3', component === 'master' ? 'ledger' : 'master'),
      peer.podSelector.matchLabels,
      `not the other component's pods`,
    );
    for (const key of ['app.kubernetes.io/instance', 'app.kubernetes.io/version'])
      t.notOk(key in peer.podSelector.matchLabels, `no per-object ${key}`);
  }
  t.equal(ledger.to.length, 1, 'no external ledger addresses by default');
});

t.test('watched namespaces, addresses, ports and peers from values', async (t) => {
  const values = {
    enabled: true,
    metricsFrom: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }],
    healthFrom: [{ ipBlock: { cidr: '10.0.0.0/8' } }],
    apiServer: { cidrs: ['192.0.2.10/32', '2001:db8::1/128'], ports: [6443] },
    nodes: { ports: [32148, 32149] },
    ledger: { ports: [5432, 6432], cidrs: ['198.51.100.0/24'] },
    dns: {
      ports: [53],
      to: [{ namespaceSelector: {}, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
    },
    extraEgress: [{ ports: [{ port: 4317, protocol: 'TCP' }] }],
  };
  const objs = await render(
    ['watchNamespaces={team-a,team-b}'],
    ['--set-json', `networkPolicy=${JSON.stringify(values)}`],
  );
  const np = only(objs, 'NetworkPolicy');
  t.same(np.spec.ingress, [
    { ports: tcp('metrics'), from: values.metricsFrom },
    { ports: tcp('health'), from: values.healthFrom },
  ]);
  const [api, nodes, ledger, dns, extra] = np.spec.egress;
  t.same(api, {
    ports: tcp(6443),
    to: [{ ipBlock: { cidr: '192.0.2.10/32' } }, { ipBlock: { cidr: '2001:db8::1/128' } }],
  });
  const watched = {
    namespaceSelector: {
      matchExpressions: [
        { key: 'kubernetes.io/metadata.name', operator: 'In', values: ['team-a', 'team-b'] },
      ],
    },
  };
  t.same(nodes.ports, tcp(32148, 32149));
  t.same(
    nodes.to[0].namespaceSelector,
    watched.namespaceSelector,
    'master pods in the watched namespaces only',
  );
  t.same(ledger.ports, tcp(5432, 6432));
  t.same(
    ledger.to[0].namespaceSelector,
    watched.namespaceSelector,
    'managed ledgers in the watched namespaces',
  );
  t.same(ledger.to.slice(1), [{ ipBlock: { cidr: '198.51.100.0/24' } }], 'external ledgers by address');
  t.same(dns.to, values.dns.to, 'DNS peers as given');
  t.same(extra, values.extraEgress[0], 'extra egress appended');
});

t.test('the NetworkPolicy values are validated', async (t) => {
  const bad = (json: unknown) => render([], ['--set-json', `networkPolicy=${JSON.stringify(json)}`]);
  await t.rejects(bad({ enabled: true, apiServer: { cidrs: ['not-a-cidr'] } }), /schema/);
  await t.rejects(bad({ enabled: true, nodes: { ports: [] } }), /schema/);
  await t.rejects(bad({ enabled: true, ledger: { ports: [70000] } }), /schema/);
  await t.rejects(bad({ enabled: true, unknown: 1 }), /schema/);
});
