import t from 'tap';
import {
  NextLoop,
  PermanentError,
  TemporaryError,
  classifyError,
  isProgrammingError,
} from '../../../../src/operator/framework/errors.js';
import {
  KubeApiError,
  isAlreadyExists,
  isConflict,
  isGone,
  isNotFound,
  isTooManyRequests,
} from '../../../../src/operator/framework/kube.js';
import { AppError } from '../../../../src/common/errors.js';

t.test('TemporaryError carries its delay and reason', async (t) => {
  const err = new TemporaryError('waiting', { delayMs: 5000, reason: 'WaitingForPod' });
  t.same(classifyError(err), { kind: 'temporary', delayMs: 5000 });
  t.equal(err.reason, 'WaitingForPod');
  t.ok(err.retryable);
  t.ok(err instanceof AppError);
});

t.test('PermanentError is not retryable and keeps the cause code', async (t) => {
  const cause = new AppError('ERR_CR_INVALID', 'bad spec');
  const err = new PermanentError('invalid', { reason: 'InvalidSpec', cause });
  t.same(classifyError(err), { kind: 'permanent', reason: 'InvalidSpec' });
  t.equal(err.code, 'ERR_CR_INVALID');
  t.notOk(err.retryable);
  t.equal(err.cause, cause);
});

t.test('NextLoop ends a pass with or without a requeue', async (t) => {
  t.same(classifyError(new NextLoop(3000)), { kind: 'next-loop', requeueAfterMs: 3000 });
  t.same(classifyError(new NextLoop()), { kind: 'next-loop', requeueAfterMs: undefined });
});

t.test('other errors are unknown; programming errors are panics', async (t) => {
  t.same(classifyError(new Error('x')), { kind: 'unknown', panic: false, retryAfterMs: undefined });
  t.same(classifyError(new TypeError('x')), { kind: 'unknown', panic: true, retryAfterMs: undefined });
  t.ok(isProgrammingError(new ReferenceError('x')));
  t.ok(isProgrammingError(new RangeError('x')));
  t.notOk(isProgrammingError('string'));
});

t.test('a server Retry-After is honoured', async (t) => {
  const err = new KubeApiError({
    status: 429,
    reason: 'TooManyRequests',
    message: 'slow down',
    retryAfterMs: 7000,
  });
  t.same(classifyError(err), { kind: 'unknown', panic: false, retryAfterMs: 7000 });
});

t.test('KubeApiError predicates', async (t) => {
  const e = (status: number, reason: string): KubeApiError =>
    new KubeApiError({ status, reason, message: reason });
  t.ok(isNotFound(e(404, 'NotFound')));
  t.ok(isConflict(e(409, 'Conflict')));
  t.notOk(isConflict(e(409, 'AlreadyExists')), 'AlreadyExists is not a write conflict');
  t.ok(isAlreadyExists(e(409, 'AlreadyExists')));
  t.ok(isGone(e(410, 'Gone')));
  t.ok(isGone(e(500, 'Expired')), 'expired continue token');
  t.ok(isTooManyRequests(e(429, 'TooManyRequests')));
  t.notOk(isNotFound(new Error('404')), 'never by message');
  t.ok(e(503, 'ServiceUnavailable').retryable);
  t.notOk(e(422, 'Invalid').retryable);
  t.equal(e(404, 'NotFound').code, 'ERR_KUBE_API');
});
