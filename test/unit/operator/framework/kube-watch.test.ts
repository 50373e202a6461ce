import t from 'tap';
import { isGone } from '../../../../src/operator/framework/kube.js';
import { watchError, watchEventError } from '../../../../src/operator/framework/kube-watch.js';

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
