// The previous status a pass compares against while the informer cache lags its own status write, and
// what that means for Events: a transition is reported once even when the next pass reads a stale cache.
import t from 'tap';
import { StatusBaseline } from '../../../../src/operator/anylogmaster/baseline.js';
import { transitionEvents } from '../../../../src/operator/anylogmaster/transitions.js';
import type { KubeObject } from '../../../../src/operator/framework/kube.js';
import { readConditions } from '../../../../src/operator/framework/status.js';

const notReady = {
  conditions: [{ type: 'Ready', status: 'Unknown', reason: 'Progressing', message: 'm' }],
};
const ready = { conditions: [{ type: 'Ready', status: 'True', reason: 'Ready', message: 'ok' }] };

function obj(resourceVersion: string, status: unknown, uid = 'u1'): KubeObject {
  return {
    apiVersion: 'anylog.co/v1alpha1',
    kind: 'AnyLogMaster',
    metadata: { name: 'm', namespace: 'ns', uid, resourceVersion },
    status,
  };
}

t.test('nothing remembered → the cached status', async (t) => {
  const b = new StatusBaseline();
  t.equal(b.previous('ns/m', obj('1', notReady)), notReady);
});

t.test('cache still at the version the last pass read → the status that pass handed over', async (t) => {
  const b = new StatusBaseline();
  b.remember('ns/m', obj('5', notReady), ready);
  t.equal(b.previous('ns/m', obj('5', notReady)), ready);
});

t.test('cache moved on → the cache wins', async (t) => {
  const b = new StatusBaseline();
  b.remember('ns/m', obj('5', notReady), ready);
  const later = { conditions: [{ type: 'Ready', status: 'False', reason: 'WaitingForPod', message: 'x' }] };
  t.equal(b.previous('ns/m', obj('9', later)), later);
});

t.test("the pass's own earlier write (initial status) is older than what it handed over", async (t) => {
  const b = new StatusBaseline();
  b.remember('ns/m', obj('5', undefined), ready, ['6']);
  t.equal(b.previous('ns/m', obj('6', notReady)), ready, 'cache holds only the initial write');
  t.equal(b.previous('ns/m', obj('5', undefined)), ready, 'cache holds the object the pass read');
});

t.test('a recreated object (new uid, same name) never gets the old status', async (t) => {
  const b = new StatusBaseline();
  b.remember('ns/m', obj('5', notReady), ready);
  t.equal(b.previous('ns/m', obj('5', notReady, 'u2')), notReady);
});

t.test('without a resourceVersion the cache is used', async (t) => {
  const b = new StatusBaseline();
  const noRv: KubeObject = {
    apiVersion: 'v',
    kind: 'K',
    metadata: { name: 'm', uid: 'u1' },
    status: notReady,
  };
  b.remember('ns/m', noRv, ready);
  t.equal(b.previous('ns/m', noRv), notReady);
});

t.test('bounded: the least recently written keys are forgotten', async (t) => {
  const b = new StatusBaseline(2);
  b.remember('a', obj('1', notReady), ready);
  b.remember('b', obj('1', notReady), ready);
  b.remember('a', obj('1', notReady), ready);
  b.remember('c', obj('1', notReady), ready);
  t.equal(b.size, 2);
  t.equal(b.previous('b', obj('1', notReady)), notReady, 'b forgotten');
  t.equal(b.previous('a', obj('1', notReady)), ready, 'a kept (written again)');
});

t.test('a stale cache right after Ready does not report Ready twice', async (t) => {
  const b = new StatusBaseline();
  const cached = obj('5', notReady);
  // Pass 1 turns Ready: one Ready Event.
  const prev1 = b.previous('ns/m', cached);
  const first = transitionEvents(readConditions(prev1), ready.conditions as never);
  b.remember('ns/m', cached, ready);
  // Pass 2 runs before the watch delivered pass 1's write: the cache still holds version 5.
  const prev2 = b.previous('ns/m', cached);
  const second = transitionEvents(readConditions(prev2), ready.conditions as never);
  t.same(
    first.map((e) => e.reason),
    ['Ready'],
  );
  t.same(second, [], 'no second Ready Event');
  // Without the baseline the stale cache would have reported it again.
  t.same(
    transitionEvents(readConditions(cached['status']), ready.conditions as never).map((e) => e.reason),
    ['Ready'],
  );
});
