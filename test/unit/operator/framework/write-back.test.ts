// Writing the answer of the operator's own status write back into the informer cache: a newer
// resourceVersion wins, an older or equal one (or one that cannot be ordered) changes nothing, a
// deleted or recreated object is not resurrected, later watch events cannot roll the cache back, a
// relist stays authoritative, and the write-back delta enqueues nothing by itself.
import t from 'tap';
import { ObjectCache, type CacheDelta } from '../../../../src/operator/framework/cache.js';
import { primaryKeys } from '../../../../src/operator/framework/controller.js';
import { Informer } from '../../../../src/operator/framework/informer.js';
import type { KubeApi, KubeObject } from '../../../../src/operator/framework/kube.js';
import { Metrics } from '../../../../src/operator/framework/metrics.js';
import {
  compareResourceVersions,
  isNewerResourceVersion,
} from '../../../../src/operator/framework/resource-version.js';
import { silentLogger } from '../../../../src/common/logger.js';
import { FakeClock } from '../../../helpers/fake-clock.js';

const TYPE = { group: 'example.com', version: 'v1', plural: 'widgets', kind: 'Widget', namespaced: true };

/** No reflector here runs: any API call is a test failure. */
const noApi = new Proxy({} as KubeApi, {
  get: (_t, verb) => () => Promise.reject(new Error(`unexpected API call: ${String(verb)}`)),
});

interface WidgetInit {
  readonly rv: string;
  readonly phase?: string;
  readonly uid?: string;
  readonly namespace?: string;
  readonly labels?: Record<string, string>;
}

const widget = (init: WidgetInit): KubeObject => ({
  apiVersion: 'example.com/v1',
  kind: 'Widget',
  metadata: {
    name: 'w',
    namespace: init.namespace ?? 'ns',
    uid: init.uid ?? 'u1',
    generation: 1,
    resourceVersion: init.rv,
    ...(init.labels === undefined ? {} : { labels: init.labels }),
  },
  spec: {},
  ...(init.phase === undefined ? {} : { status: { phase: init.phase } }),
});

const phaseOf = (o: KubeObject | undefined): unknown =>
  (o?.['status'] as { phase?: string } | undefined)?.phase;

t.test('resourceVersions order as decimal etcd revisions, anything else is unordered', async (t) => {
  t.equal(compareResourceVersions('9', '10'), -1, 'numeric, not lexical');
  t.equal(compareResourceVersions('10', '9'), 1);
  t.equal(compareResourceVersions('12', '12'), 0);
  t.equal(compareResourceVersions('18446744073709551617', '18446744073709551616'), 1, 'beyond 2^64');
  t.equal(compareResourceVersions('abc', '1'), undefined);
  t.equal(compareResourceVersions('1', ''), undefined);
  t.equal(compareResourceVersions('-1', '1'), undefined);
  t.equal(compareResourceVersions(undefined, '1'), undefined);
  t.ok(isNewerResourceVersion('11', '10'));
  t.notOk(isNewerResourceVersion('10', '10'));
  t.notOk(isNewerResourceVersion('x11', '10'), 'unordered is never newer');
});

t.test('write-back: a newer resourceVersion replaces the cached object', async (t) => {
  const c = new ObjectCache();
  c.upsert(widget({ rv: '10', phase: 'Pending' }));
  const d = c.writeBack(widget({ rv: '12', phase: 'Running' }));
  t.equal(d?.type, 'updated');
  t.equal(d?.type === 'updated' ? d.old.metadata.resourceVersion : '', '10');
  t.equal(c.get('ns/w')?.metadata.resourceVersion, '12');
  t.equal(phaseOf(c.get('ns/w')), 'Running');
});

t.test('write-back: an older or equal resourceVersion is ignored', async (t) => {
  const c = new ObjectCache();
  c.upsert(widget({ rv: '12', phase: 'Running' }));
  t.equal(c.writeBack(widget({ rv: '11', phase: 'Pending' })), undefined, 'older');
  t.equal(c.writeBack(widget({ rv: '12', phase: 'Pending' })), undefined, 'equal');
  t.equal(c.writeBack(widget({ rv: '9', phase: 'Pending' })), undefined, 'fewer digits, numerically older');
  t.equal(phaseOf(c.get('ns/w')), 'Running');
  t.equal(c.get('ns/w')?.metadata.resourceVersion, '12');
});

t.test('write-back: a non-numeric resourceVersion never overwrites', async (t) => {
  const c = new ObjectCache();
  c.upsert(widget({ rv: '10', phase: 'Pending' }));
  t.equal(c.writeBack(widget({ rv: 'a11', phase: 'Running' })), undefined, 'written one not decimal');
  const opaque = new ObjectCache();
  opaque.upsert(widget({ rv: 'opaque-1', phase: 'Pending' }));
  t.equal(opaque.writeBack(widget({ rv: '11', phase: 'Running' })), undefined, 'cached one not decimal');
  t.equal(phaseOf(c.get('ns/w')), 'Pending');
  t.equal(phaseOf(opaque.get('ns/w')), 'Pending');
});

t.test('write-back: a deleted object is not resurrected, a recreated one not overwritten', async (t) => {
  const c = new ObjectCache();
  c.upsert(widget({ rv: '10', phase: 'Pending' }));
  c.remove(widget({ rv: '13' }));
  t.equal(c.writeBack(widget({ rv: '12', phase: 'Running' })), undefined, 'stale write-back after delete');
  t.equal(c.get('ns/w'), undefined);
  t.equal(c.size, 0);
  t.equal(c.writeBack(widget({ rv: '20', phase: 'Running' })), undefined, 'absent keys are never added');
  t.equal(c.get('ns/w'), undefined);
  c.upsert(widget({ rv: '15', uid: 'u2', phase: 'Pending' }));
  t.equal(c.writeBack(widget({ rv: '16', uid: 'u1', phase: 'Running' })), undefined, 'other uid');
  t.equal(c.get('ns/w')?.metadata.uid, 'u2');
});

t.test('watch events older than or equal to a write-back do not roll the cache back', async (t) => {
  const c = new ObjectCache();
  c.upsert(widget({ rv: '10', phase: 'Pending' }));
  c.writeBack(widget({ rv: '12', phase: 'Running' }));
  // A metadata change that happened before the status write, delivered after it.
  t.equal(c.upsert(widget({ rv: '11', phase: 'Pending', labels: { a: 'b' } })), undefined, 'older event');
  t.equal(c.upsert(widget({ rv: '12', phase: 'Running' })), undefined, "the write's own event");
  t.equal(phaseOf(c.get('ns/w')), 'Running');
  t.equal(c.get('ns/w')?.metadata.resourceVersion, '12');
  t.equal(c.upsert(widget({ rv: '13', phase: 'Done' }))?.type, 'updated', 'newer events apply');
  t.equal(phaseOf(c.get('ns/w')), 'Done');
});

t.test('watch events with unordered resourceVersions keep applying in watch order', async (t) => {
  const c = new ObjectCache();
  c.upsert(widget({ rv: 'b', phase: 'Pending' }));
  t.equal(c.upsert(widget({ rv: 'a', phase: 'Running' }))?.type, 'updated');
  t.equal(phaseOf(c.get('ns/w')), 'Running');
  t.equal(c.upsert(widget({ rv: 'a', phase: 'Other' })), undefined, 'same string is no change');
});

t.test('a relist is authoritative, even over a newer write-back', async (t) => {
  const c = new ObjectCache();
  c.upsert(widget({ rv: '10', phase: 'Pending' }));
  c.writeBack(widget({ rv: '12', phase: 'Running' }));
  const deltas = c.replace([widget({ rv: '11', phase: 'Pending' })]);
  t.same(
    deltas.map((d) => d.type),
    ['updated'],
  );
  t.equal(c.get('ns/w')?.metadata.resourceVersion, '11');
  t.equal(c.upsert(widget({ rv: '12', phase: 'Running' }))?.type, 'updated', 'the watch catches up');
});

function informer(namespaces: readonly string[]): Informer {
  return new Informer({
    kube: noApi,
    type: TYPE,
    namespaces,
    clock: new FakeClock(),
    logger: silentLogger(),
    metrics: new Metrics({ prefix: 'test', defaultMetrics: false }),
  });
}

t.test('informer write-back: listeners see the delta, a status-only one enqueues nothing', async (t) => {
  const inf = informer(['ns', 'other']);
  const seen: CacheDelta[] = [];
  inf.addListener((d) => seen.push(d));
  const reflector = inf.reflectors.find((r) => r.namespace === 'ns');
  t.ok(reflector);
  reflector?.cache.upsert(widget({ rv: '10', phase: 'Pending' }));
  t.ok(inf.writeBack(widget({ rv: '12', phase: 'Running' })));
  t.equal(phaseOf(inf.get('ns/w')), 'Running', 'visible through the informer at once');
  t.equal(seen.length, 1);
  const [delta] = seen;
  t.same(delta === undefined ? ['missing'] : primaryKeys(delta), [], 'status-only: no reconcile');
  t.notOk(inf.writeBack(widget({ rv: '12', phase: 'Running' })), 'the same answer twice is no change');
  t.notOk(inf.writeBack(widget({ rv: '5', namespace: 'other' })), 'not cached in that namespace');
  t.equal(seen.length, 1);
});

t.test(
  'informer write-back carrying a metadata change the watch has not delivered enqueues it',
  async (t) => {
    const inf = informer([]);
    const keys: string[] = [];
    inf.addListener((d) => keys.push(...primaryKeys(d)));
    inf.reflectors[0]?.cache.upsert(widget({ rv: '10', phase: 'Pending' }));
    // A label change (11) landed before the status write (12); the write's answer carries both.
    t.ok(inf.writeBack(widget({ rv: '12', phase: 'Running', labels: { tier: 'a' } })));
    t.same(keys, ['ns/w'], 'the label change is not lost when its own event is dropped as older');
  },
);
