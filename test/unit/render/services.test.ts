import t from 'tap';
import { renderClientService, renderHeadlessService } from '../../../src/render/services.js';
import { renderNodeStatefulSet } from '../../../src/render/statefulset.js';
import { allCrs, crFromFixture, inputsFor } from './helpers.js';

t.test('Service selectors match the pod labels and ports line up with container ports', async (t) => {
  for (const { file, cr } of allCrs()) {
    const inputs = inputsFor(cr);
    const sts = renderNodeStatefulSet(cr, inputs);
    const podLabels = sts.spec.template.metadata.labels;
    const container = sts.spec.template.spec.containers[0];
    for (const svc of [renderClientService(cr, inputs), renderHeadlessService(cr, inputs)]) {
      for (const [k, v] of Object.entries(svc.spec.selector))
        t.equal(podLabels[k], v, `${file} ${svc.metadata.name} selects ${k}`);
      t.same(svc.spec.selector, sts.spec.selector.matchLabels, `${file}: same selector as the StatefulSet`);
      for (const port of svc.spec.ports) {
        const target = container?.ports.find((p) => p.name === port.targetPort);
        t.ok(target, `${file}: ${port.name} targets a named container port`);
        t.equal(target?.containerPort, port.port, `${file}: ${port.name} port equals the container port`);
      }
      t.equal(svc.metadata.ownerReferences?.length, 1, `${file}: owned`);
      t.equal(svc.metadata.namespace, cr.metadata.namespace);
    }
  }
});

t.test('client Service follows spec.service; headless publishes not-ready addresses', async (t) => {
  const lb = crFromFixture('loadbalancer.yaml');
  const client = renderClientService(lb, inputsFor(lb));
  t.equal(client.metadata.name, 'master-lb');
  t.equal(client.spec.type, 'LoadBalancer');
  t.same(client.spec.loadBalancerSourceRanges, ['10.0.0.0/8', '192.168.1.0/24', '2001:db8::/32']);
  t.same(client.metadata.annotations, { 'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb' });
  const headless = renderHeadlessService(lb, inputsFor(lb));
  t.equal(headless.metadata.name, 'master-lb-headless');
  t.equal(headless.spec.clusterIP, 'None');
  t.equal(headless.spec.publishNotReadyAddresses, true);
  t.notOk('annotations' in headless.metadata);

  const minimal = crFromFixture('minimal.yaml');
  const plain = renderClientService(minimal, inputsFor(minimal));
  t.equal(plain.spec.type, 'ClusterIP');
  t.notOk('loadBalancerSourceRanges' in plain.spec);
  t.notOk('annotations' in plain.metadata, 'no empty annotations');
  t.same(
    plain.spec.ports.map((p) => [p.name, p.port]),
    [
      ['tcp', 32048],
      ['rest', 32049],
    ],
  );

  const overlay = crFromFixture('overlay.yaml');
  t.same(
    renderClientService(overlay, inputsFor(overlay)).spec.ports.map((p) => p.port),
    [40048, 40049],
  );
});
