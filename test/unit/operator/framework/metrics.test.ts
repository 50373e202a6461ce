import t from 'tap';
import { Metrics } from '../../../../src/operator/framework/metrics.js';

t.test('framework metrics use the controller-runtime and client-go names', async (t) => {
  const m = new Metrics({ prefix: 'anylog', defaultMetrics: false });
  m.framework.reconcileTotal.inc({ controller: 'c', result: 'success' });
  m.framework.restClientRequests.inc({ code: '200', method: 'PATCH', host: 'h' });
  const text = await m.text();
  for (const name of [
    'controller_runtime_reconcile_total',
    'controller_runtime_reconcile_errors_total',
    'controller_runtime_terminal_reconcile_errors_total',
    'controller_runtime_reconcile_panics_total',
    'controller_runtime_reconcile_timeouts_total',
    'controller_runtime_reconcile_time_seconds',
    'controller_runtime_max_concurrent_reconciles',
    'controller_runtime_active_workers',
    'workqueue_depth',
    'workqueue_adds_total',
    'workqueue_retries_total',
    'workqueue_queue_duration_seconds',
    'workqueue_work_duration_seconds',
    'workqueue_unfinished_work_seconds',
    'workqueue_longest_running_processor_seconds',
    'rest_client_requests_total',
    'rest_client_request_duration_seconds',
    'leader_election_master_status',
    'anylog_watch_last_event_age_seconds',
    'anylog_watch_restarts_total',
  ]) {
    t.match(text, new RegExp(`# TYPE ${name} `), name);
  }
  t.match(text, 'rest_client_requests_total{code="200",method="PATCH",host="h"} 1');
  t.equal(await m.value('controller_runtime_reconcile_total', { result: 'success' }), 1);
  t.equal(await m.value('controller_runtime_reconcile_total', { result: 'error' }), 0);
});

t.test('domain metrics register through the small API', async (t) => {
  const m = new Metrics({ prefix: 'anylog', defaultMetrics: false });
  const up = m.gauge({
    name: 'anylog_node_process_up',
    help: 'process up',
    labelNames: ['namespace', 'name', 'process'],
  });
  const ops = m.counter({
    name: 'anylog_policy_operations_total',
    help: 'ops',
    labelNames: ['operation', 'result'],
  });
  up.set({ namespace: 'n', name: 'm', process: 'TCP' }, 1);
  up.set({ namespace: 'n', name: 'm', process: 'REST' }, 0);
  up.remove({ namespace: 'n', name: 'm', process: 'REST' });
  ops.inc({ operation: 'insert', result: 'success' });
  const text = await m.text();
  t.match(text, 'anylog_node_process_up{namespace="n",name="m",process="TCP"} 1');
  t.notMatch(text, 'process="REST"');
  t.match(text, 'anylog_policy_operations_total{operation="insert",result="success"} 1');
  t.equal(m.prefixed('x'), 'anylog_x');
});

t.test('queue and watch probes are read at scrape time', async (t) => {
  const m = new Metrics({ prefix: 'p', defaultMetrics: false });
  let depth = 3;
  const off = m.addQueueProbe({
    labels: { name: 'c', controller: 'c' },
    depth: () => depth,
    unfinishedWorkSeconds: () => 1.5,
    longestRunningProcessorSeconds: () => 1,
  });
  m.addWatchProbe({ labels: { resource: 'configmaps', namespace: 'ns' }, lastEventAgeSeconds: () => 42 });
  t.equal(await m.value('workqueue_depth', { controller: 'c' }), 3);
  depth = 5;
  t.equal(await m.value('workqueue_depth', { controller: 'c' }), 5);
  t.equal(await m.value('workqueue_unfinished_work_seconds'), 1.5);
  t.equal(await m.value('p_watch_last_event_age_seconds', { resource: 'configmaps' }), 42);
  off();
  t.match(m.contentType, /text\/plain/);
});
