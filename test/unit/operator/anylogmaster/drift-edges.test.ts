// needsApply on the fields the comparison covers: metadata annotations count both ways (a rendered one
// that changed is written, one only other controllers set is not a reason to write), every list item is
// compared, and a missing object is always created, however little it renders.
import t from 'tap';
import { needsApply } from '../../../../src/operator/anylogmaster/drift.js';

const owner = [
  { apiVersion: 'anylog.co/v1alpha1', kind: 'AnyLogMaster', name: 'm', uid: 'u', controller: true },
];

function service(annotations: Record<string, string> | undefined, ports: number[]) {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'm',
      namespace: 'ns',
      labels: { 'app.kubernetes.io/instance': 'm' },
      ...(annotations === undefined ? {} : { annotations }),
      ownerReferences: owner,
    },
    spec: { type: 'LoadBalancer', ports: ports.map((port) => ({ name: `p${port}`, port })) },
  };
}

const INTERNAL = 'service.beta.kubernetes.io/aws-load-balancer-internal';

t.test('annotations set only by other controllers need no apply', async (t) => {
  const desired = service(undefined, [32048, 32049]);
  const live = service({ 'cloud.example.com/load-balancer-id': 'lb-7' }, [32048, 32049]);
  t.notOk(needsApply(desired, live));
});

t.test('a rendered annotation that is missing or different needs an apply', async (t) => {
  const desired = service({ [INTERNAL]: 'true' }, [32048, 32049]);
  t.ok(needsApply(desired, service(undefined, [32048, 32049])), 'missing on the live object');
  t.ok(needsApply(desired, service({ [INTERNAL]: 'false' }, [32048, 32049])), 'another value');
  t.notOk(needsApply(desired, service({ [INTERNAL]: 'true' }, [32048, 32049])), 'the same value');
});

t.test('a list differing only after its first item needs an apply', async (t) => {
  t.ok(needsApply(service(undefined, [32048, 32049]), service(undefined, [32048, 32050])));
});

t.test('a missing object needs an apply even when it renders nothing but its name', async (t) => {
  t.ok(
    needsApply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'm', namespace: 'ns' } }, undefined),
  );
});
