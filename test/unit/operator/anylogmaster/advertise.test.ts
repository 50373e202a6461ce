// Advertised-address choice per advertise mode, from Service objects as the API returns them.
import t from 'tap';
import { chooseAdvertisedAddress, endpointsOf } from '../../../../src/operator/anylogmaster/advertise.js';
import { serviceView } from '../../../../src/operator/anylogmaster/views.js';

const svc = (spec: unknown, status: unknown = {}) =>
  serviceView({ apiVersion: 'v1', kind: 'Service', spec, status });

t.test('ClusterIP uses spec.clusterIP', async (t) => {
  t.same(chooseAdvertisedAddress({ mode: 'ClusterIP' }, svc({ clusterIP: '10.96.12.7' })), {
    kind: 'ok',
    address: '10.96.12.7',
  });
  t.equal(chooseAdvertisedAddress({ mode: 'ClusterIP' }, svc({})).kind, 'waiting');
  t.equal(chooseAdvertisedAddress({ mode: 'ClusterIP' }, svc({ clusterIP: 'None' })).kind, 'waiting');
  t.equal(chooseAdvertisedAddress({ mode: 'ClusterIP' }, undefined).kind, 'waiting');
});

t.test('an address with anything before or after its four numbers is not an IP', async (t) => {
  for (const clusterIP of ['x10.96.12.7', '10.96.12.7.1', '10.96.12.7 ']) {
    t.equal(chooseAdvertisedAddress({ mode: 'ClusterIP' }, svc({ clusterIP })).kind, 'waiting', clusterIP);
  }
  t.same(chooseAdvertisedAddress({ mode: 'ClusterIP' }, svc({ clusterIP: 'fd00::7' })), {
    kind: 'ok',
    address: 'fd00::7',
  });
});

t.test('LoadBalancer uses the first ingress IP and refuses hostname-only ingress', async (t) => {
  const lb = { mode: 'LoadBalancer' } as const;
  t.same(
    chooseAdvertisedAddress(
      lb,
      svc({ clusterIP: '10.0.0.1' }, { loadBalancer: { ingress: [{ ip: '203.0.113.5' }] } }),
    ),
    { kind: 'ok', address: '203.0.113.5' },
  );
  const pending = chooseAdvertisedAddress(lb, svc({ clusterIP: '10.0.0.1' }, { loadBalancer: {} }));
  t.equal(pending.kind, 'waiting');
  const named = chooseAdvertisedAddress(
    lb,
    svc({}, { loadBalancer: { ingress: [{ hostname: 'lb.example.com' }] } }),
  );
  t.equal(named.kind, 'waiting');
  t.match(named.kind === 'waiting' ? named.message : '', /lb\.example\.com.*needs an IP/);
});

t.test('Overlay uses spec.network.advertise.ip regardless of the Service', async (t) => {
  t.same(chooseAdvertisedAddress({ mode: 'Overlay', ip: '10.8.0.5' }, svc({ clusterIP: '10.96.0.1' })), {
    kind: 'ok',
    address: '10.8.0.5',
  });
  t.equal(chooseAdvertisedAddress({ mode: 'Overlay' }, undefined).kind, 'waiting');
});

t.test('endpoints are address:port', async (t) => {
  t.same(endpointsOf('10.96.12.7', 32048, 32049), { tcp: '10.96.12.7:32048', rest: '10.96.12.7:32049' });
});
