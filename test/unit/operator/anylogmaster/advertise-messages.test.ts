// The message a LoadBalancer-advertised master waits with while its Service has no ingress yet: it becomes
// the Reconciling and Ready message the user reads.
import t from 'tap';
import { chooseAdvertisedAddress } from '../../../../src/operator/anylogmaster/advertise.js';
import { serviceView } from '../../../../src/operator/anylogmaster/views.js';

t.test('a LoadBalancer Service without an ingress waits with a message saying so', async (t) => {
  const pending = serviceView({
    apiVersion: 'v1',
    kind: 'Service',
    spec: { type: 'LoadBalancer', clusterIP: '10.96.3.4' },
    status: { loadBalancer: {} },
  });
  const waiting = { kind: 'waiting', message: 'waiting for the load balancer to report an ingress IP' };
  t.same(chooseAdvertisedAddress({ mode: 'LoadBalancer' }, pending), waiting);
  t.same(chooseAdvertisedAddress({ mode: 'LoadBalancer' }, undefined), waiting, 'no Service yet');
});
