// Pod readiness as the kubelet reports it: a Pod lists several conditions (PodScheduled, Initialized,
// ContainersReady, Ready, ...), and only the Ready condition decides.
import t from 'tap';
import { podIsReady, podView } from '../../../../src/operator/anylogmaster/views.js';

function pod(conditions: { type: string; status: string }[]) {
  const view = podView({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'm-0', labels: { 'controller-revision-hash': 'r2' } },
    status: { podIP: '127.0.0.9', conditions },
  });
  if (view === undefined) throw new Error('no Pod view');
  return view;
}

t.test('a Pod whose Ready condition is True among its other conditions is ready', async (t) => {
  t.ok(
    podIsReady(
      pod([
        { type: 'PodReadyToStartContainers', status: 'True' },
        { type: 'Initialized', status: 'True' },
        { type: 'Ready', status: 'True' },
        { type: 'ContainersReady', status: 'True' },
        { type: 'PodScheduled', status: 'True' },
      ]),
    ),
  );
});

t.test('a scheduled, initialized Pod whose Ready condition is False is not ready', async (t) => {
  t.notOk(
    podIsReady(
      pod([
        { type: 'PodReadyToStartContainers', status: 'True' },
        { type: 'Initialized', status: 'True' },
        { type: 'Ready', status: 'False' },
        { type: 'ContainersReady', status: 'False' },
        { type: 'PodScheduled', status: 'True' },
      ]),
    ),
  );
});
