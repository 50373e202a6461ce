// The previous status a pass compares against while the informer cache lags its own status write, and
// what that means for Events: a transition is reported once even when the next pass reads a stale cache,
// including a cache that already holds a later metadata change (a new resourceVersion, the old status).
import t from 'tap';
import { StatusBaseline } from '../../../../src/operator/anylogmaster/baseline.js';
import { transitionEvents } from '../../../../src/operator/anylogmaster/transitions.js';
import type { KubeObject } from '../../../../src/operator/framework/kube.js';
import { readConditions, type Condition } from '../../../../src/operator/framework/status.js';

const cond = (type: string, status: Condition['status'], reason: string): Condition => ({
  type,
  status,
  reason,
  message: 'm',
});
const progressing = { conditions: [cond('Ready', 'Unknown', 'Progressing')] };
const ready = { conditions: [cond('Ready', 'True', 'Ready'), cond('NodeReachable', 'True', 'Reachable')] };
const unreachable = {
  conditions: [cond('Ready', 'False', 'NodeUnreachable'), cond('NodeReachable', 'False', 'NodeUnreachable')],
};

function obj(resourceVersion: string, status: unknown, uid = 'u1'): KubeObject {
  return {
    apiVersion: 'anylog.co/v1alpha1',
    kind: 'AnyLogMaster',
    metadata: { name: 'm', namespace: 'ns', uid, resourceVersion },
    ...(status === undefined ? {} : { status }),
  };
}

t.test('nothing remembered → the cached status', async (t) => {
  const b = new StatusBaseline();
  t.equal(b.previous('ns/m', obj('1', progressing)), progressing);
});

t.test('cache still holds the status the last pass read → the status that pass handed over', async (t) => {
  const b = new StatusBaseline();
  b.remember('ns/m', obj('5', progressing), ready);
  t.equal(b.previous('ns/m', obj('5', progressing)), ready, 'same version');
  t.equal(
    b.previous('ns/m', obj('7', { conditions: [...progressing.conditions] })),
    ready,
    'a later metadata-only version (an annotation) with the old status: still stale',
  );
});

t.test('the write arrived (or another writer) → the cache wins', async (t) => {
  const b = new StatusBaseline();
  b.remember('ns/m', obj('5', progressing), ready);
  t.equal(b.previous('ns/m', obj('6', unreachable)), unreachable);
});

t.test("the pass's own initial status write is older than what it handed over", async (t) => {
  const b = new StatusBaseline();
  b.remember('ns/m', obj('5', undefined), ready, [progressing]);
  t.equal(b.previous('ns/m', obj('6', progressing)), ready, 'cache holds only the initial write');
  t.equal(b.previous('ns/m', obj('5', undefined)), ready, 'cache holds the object the pass read');
});

t.test('a recreated object (new uid, same name) never gets the old status', async (t) => {
  const b = new StatusBaseline();
  b.remember('ns/m', obj('5', progressing), ready);
  t.equal(b.previous('ns/m', obj('9', progressing, 'u2')), progressing);
});

t.test('key order does not matter when comparing statuses', async (t) => {
  const b = new StatusBaseline();
  b.remember('ns/m', obj('5', { phase: 'Running', observedGeneration: 1 }), ready);
  t.equal(b.previous('ns/m', obj('8', { observedGeneration: 1, phase: 'Running' })), ready);
});

t.test('bounded: the least recently written keys are forgotten', async (t) => {
  const b = new StatusBaseline(2);
  b.remember('a', obj('1', progressing), ready);
  b.remember('b', obj('1', progressing), ready);
  b.remember('a', obj('1', progressing), ready);
  b.remember('c', obj('1', progressing), ready);
  t.equal(b.size, 2);
  t.equal(b.previous('b', obj('1', progressing)), progressing, 'b forgotten');
  t.equal(b.previous('a', obj('1', progressing)), ready, 'a kept (written again)');
});

t.test('a stale cache after a transition does not report it twice', async (t) => {
  const b = new StatusBaseline();
  const events = (prev: unknown): string[] =>
    transitionEvents(readConditions(prev), unreachable.conditions).map((e) => e.reason);
  const before = obj('5', ready);
  // Pass 1 sees the node unreachable: one Warning.
  t.same(events(b.previous('ns/m', before)), ['NodeUnreachable']);
  b.remember('ns/m', before, unreachable);
  // Pass 2 runs before the watch delivered pass 1's write, woken by an annotation change (version 6).
  const annotated = obj('6', ready);
  t.same(events(b.previous('ns/m', annotated)), [], 'no second NodeUnreachable Event');
  // Without the baseline the stale cache would have reported it again.
  t.same(events(annotated['status']), ['NodeUnreachable']);
});
