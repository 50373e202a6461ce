// Typed views of child objects: a well-formed object is read as is, a malformed part is read as empty
// without hiding the parts that are fine, and no object is no view.
import t from 'tap';
import {
  podIsReady,
  podView,
  secretView,
  serviceView,
  statefulSetView,
} from '../../../../src/operator/anylogmaster/views.js';

const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'm-0', labels: { 'controller-revision-hash': 'r2' } },
  spec: { containers: [] },
  status: { podIP: '10.0.0.9', conditions: [{ type: 'Ready', status: 'True' }] },
};

t.test('a well-formed object is its own view', async (t) => {
  const view = podView(pod);
  t.equal(view, pod, 'no copy is made');
  t.equal(view?.status?.podIP, '10.0.0.9');
  t.ok(view !== undefined && podIsReady(view));
});

t.test('no object, no view', async (t) => {
  t.equal(podView(undefined), undefined);
  t.equal(statefulSetView(null), undefined);
});

t.test('a malformed status is read as empty; metadata is kept', async (t) => {
  const view = podView({ ...pod, status: { podIP: 7, conditions: 'Ready' } });
  t.same(view, { metadata: pod.metadata, status: {} });
  t.ok(view !== undefined && !podIsReady(view));
});

t.test('malformed metadata is read as empty; status is kept', async (t) => {
  const view = statefulSetView({ metadata: { generation: 'two' }, status: { readyReplicas: 1 } });
  t.same(view, { metadata: {}, status: { readyReplicas: 1 } });
});

t.test('Service and Secret views', async (t) => {
  const svc = serviceView({
    spec: { clusterIP: '10.96.0.1' },
    status: { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } },
  });
  t.equal(svc?.spec?.clusterIP, '10.96.0.1');
  t.equal(svc?.status?.loadBalancer?.ingress?.[0]?.ip, '1.2.3.4');
  t.same(secretView({ metadata: { name: 's' }, data: { u: 'dQ==' } })?.data, { u: 'dQ==' });
  t.equal(secretView({ metadata: {} }), undefined, 'a Secret without a name has no view');
  t.same(secretView({ metadata: { name: 's' }, data: { u: 1 } }), { metadata: { name: 's' }, data: {} });
});
