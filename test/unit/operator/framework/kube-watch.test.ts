import t from 'tap';
import {
  KubeApiError,
  isGone,
  type ResourceType,
  type WatchEvent,
} from '../../../../src/operator/framework/kube.js';
import {
  runWatch,
  watchError,
  watchEventError,
  type Watcher,
} from '../../../../src/operator/framework/kube-watch.js';

t.test('an in-stream ERROR event with a 410 Status means relist', async (t) => {
  const err = watchEventError(
    {
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      message: 'too old resource version: 1 (500)',
      reason: 'Expired',
      code: 410,
    },
    '/api/v1/configmaps',
  );
  t.ok(isGone(err));
  t.equal(err.status, 410);
  t.match(err.message, /too old resource version/);
});

t.test('an ERROR event without a Status is a 500', async (t) => {
  const err = watchEventError(undefined, '/p');
  t.equal(err.status, 500);
  t.equal(err.reason, 'WatchError');
  t.notOk(isGone(err));
});

t.test('connect failures keep the HTTP status (410 → Expired) or become transport errors', async (t) => {
  const codes: number[] = [];
  const http = Object.assign(new Error('Gone'), { statusCode: 410 });
  const gone = watchError(http, '/p', (c) => codes.push(c));
  t.ok(isGone(gone));
  t.same(codes, [410]);
  const forbidden = watchError(Object.assign(new Error('Forbidden'), { statusCode: 403 }), '/p');
  t.equal(forbidden.status, 403);
  const refused = watchError(new TypeError('fetch failed'), '/p');
  t.equal(refused.status, 0);
  t.equal(refused.reason, 'TransportError');
  t.ok(refused.retryable);
  t.type(refused.cause, TypeError);
});

/** A Watcher that replays `lines` of (phase, object), then ends the stream normally. */
function replay(lines: [string, unknown][]): Watcher {
  return {
    watch: (_path, _query, onEvent, done) => {
      const ctl = new AbortController();
      setImmediate(() => {
        for (const [phase, object] of lines) onEvent(phase, object);
        done(null);
      });
      return Promise.resolve(ctl);
    },
  };
}

const CM: ResourceType = {
  group: '',
  version: 'v1',
  plural: 'configmaps',
  kind: 'ConfigMap',
  namespaced: true,
};

t.test(
  'a BOOKMARK (metadata has only resourceVersion) reaches the reflector with its resourceVersion',
  async (t) => {
    const events: WatchEvent[] = [];
    const end = await runWatch({
      watcher: replay([
        ['BOOKMARK', { kind: 'ConfigMap', apiVersion: 'v1', metadata: { resourceVersion: '42' } }],
        ['ADDED', { metadata: { name: 'a', namespace: 'n', resourceVersion: '43' } }],
      ]),
      path: '/api/v1/configmaps',
      type: CM,
      options: { signal: new AbortController().signal, resourceVersion: '1', timeoutSeconds: 60 },
      onEvent: (e) => events.push(e),
      count: () => undefined,
    });
    t.equal(end, 'closed');
    t.same(
      events.map((e) => [e.type, e.object.metadata.resourceVersion, e.object.kind]),
      [
        ['BOOKMARK', '42', 'ConfigMap'],
        ['ADDED', '43', 'ConfigMap'],
      ],
    );
  },
);

t.test('a malformed object ends the stream with a KubeApiError instead of throwing', async (t) => {
  const events: WatchEvent[] = [];
  const err = await runWatch({
    watcher: replay([['MODIFIED', { metadata: {} }]]),
    path: '/api/v1/configmaps',
    type: CM,
    options: { signal: new AbortController().signal, resourceVersion: '1', timeoutSeconds: 60 },
    onEvent: (e) => events.push(e),
    count: () => undefined,
  }).catch((e: unknown) => e);
  t.type(err, KubeApiError);
  t.equal((err as KubeApiError).reason, 'InvalidObject');
  t.same(events, []);
});
