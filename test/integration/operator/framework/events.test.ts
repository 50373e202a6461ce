// The Event recorder against the real API server: events.k8s.io/v1 Events with the reporting
// controller and instance, and a repeat of the same object and reason within 10 minutes updates the
// Event's series instead of creating a second Event.
import t from 'tap';
import { EVENTS_V1, EventRecorder } from '../../../../src/operator/framework/events.js';
import { realClock } from '../../../../src/common/clock.js';
import { silentLogger } from '../../../../src/common/logger.js';
import { CONFIGMAPS, FM, configMap, newClient, testNamespace } from './fixtures/cluster.js';

const { kube } = newClient();

t.test('events are recorded once per object and reason, repeats update the series', async (t) => {
  const ns = await testNamespace(t, kube, 'fw-events');
  const regarding = await kube.create(CONFIGMAPS, configMap(ns, 'subject', {}), FM);
  const recorder = new EventRecorder({
    kube,
    clock: realClock,
    logger: silentLogger(),
    reportingController: 'example.com/framework-test',
    reportingInstance: 'test-pod',
    fieldManager: 'framework-test',
  });
  await recorder.emit(regarding, { type: 'Warning', reason: 'NodeUnreachable', note: 'no answer on 32049' });
  await recorder.emit(regarding, { type: 'Warning', reason: 'NodeUnreachable', note: 'no answer on 32049' });
  await recorder.emit(regarding, { type: 'Warning', reason: 'NodeUnreachable', note: 'no answer on 32049' });
  await recorder.emit(regarding, { type: 'Normal', reason: 'Ready', note: 'ready' });

  const events = (await kube.list(EVENTS_V1, { namespace: ns })).items;
  t.equal(events.length, 2, 'one Event per (object, reason)');
  const warning = events.find((e) => e['reason'] === 'NodeUnreachable');
  t.equal(warning?.['type'], 'Warning');
  t.equal(warning?.['reportingController'], 'example.com/framework-test');
  t.equal(warning?.['reportingInstance'], 'test-pod');
  t.equal((warning?.['regarding'] as { uid?: string } | undefined)?.uid, regarding.metadata.uid);
  t.equal((warning?.['series'] as { count?: number } | undefined)?.count, 3, 'series counts the repeats');
  const ready = events.find((e) => e['reason'] === 'Ready');
  t.equal(ready?.['series'], undefined, 'a single emission has no series');
});
