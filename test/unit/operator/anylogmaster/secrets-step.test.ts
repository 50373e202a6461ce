// Reading a referenced Secret (steps/secrets.ts readSecretCredentials): one direct GET in the CR's
// namespace, the keys the reference names decoded, the Secret's resourceVersion returned; a missing
// Secret or key is SecretNotFound (not retryable); API failures other than absence propagate.
import t from 'tap';
import type { KubeObject, ObjectRef, ResourceType } from '../../../../src/operator/framework/kube.js';
import { SECRETS } from '../../../../src/operator/anylogmaster/resources.js';
import {
  SecretNotFoundError,
  readSecretCredentials,
} from '../../../../src/operator/anylogmaster/steps/secrets.js';
import { crFromFixture } from '../../render/helpers.js';
import { FakeKube, serverError } from './fixtures/fake-kube.js';
import { passFor } from './fixtures/pass-env.js';

const cr = crFromFixture('external-minimal.yaml');
const ns = cr.metadata.namespace;
const ref = { name: 'anylog-ledger', usernameKey: 'user', passwordKey: 'pass' };
const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

function secret(data: Record<string, string>, namespace = ns, name = ref.name): KubeObject {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace }, data };
}

t.test('reads the named keys of the Secret with one GET in the CR namespace', async (t) => {
  const { env, kube } = passFor(cr);
  const stored = kube.seed(
    SECRETS,
    secret({ user: b64('anylog'), pass: b64('pä55:wörd'), username: b64('x') }),
  );
  const read = await readSecretCredentials(env, ref);
  t.strictSame(read, {
    credentials: { username: 'anylog', password: 'pä55:wörd' },
    resourceVersion: stored.metadata.resourceVersion,
  });
  t.strictSame(
    kube.callsOf('get', SECRETS).map((c) => c.ref),
    [{ namespace: ns, name: 'anylog-ledger' }],
  );
  t.equal(kube.calls.length, 1, 'nothing but the GET');
});

t.test('a Secret of the same name in another namespace does not count', async (t) => {
  const { env, kube } = passFor(cr);
  kube.seed(SECRETS, secret({ user: b64('anylog'), pass: b64('pw') }, 'other'));
  const err = await readSecretCredentials(env, ref).catch((e: unknown) => e);
  t.type(err, SecretNotFoundError);
  t.match(err, { code: 'ERR_SECRET_NOT_FOUND', retryable: false });
  t.match((err as Error).message, 'anylog-ledger');
  t.match((err as Error).message, ns);
});

t.test('a missing or empty username key and a missing password key are SecretNotFound', async (t) => {
  const cases: { name: string; data: Record<string, string>; key: string }[] = [
    { name: 'no username', data: { pass: b64('pw') }, key: 'user' },
    { name: 'empty username', data: { user: '', pass: b64('pw') }, key: 'user' },
    { name: 'no password', data: { user: b64('anylog') }, key: 'pass' },
    { name: 'no data', data: {}, key: 'user' },
  ];
  for (const c of cases) {
    const { env, kube } = passFor(cr);
    kube.seed(SECRETS, secret(c.data));
    const err = await readSecretCredentials(env, ref).catch((e: unknown) => e);
    t.type(err, SecretNotFoundError, c.name);
    t.match((err as Error).message, new RegExp(`no key ${c.key}$`), c.name);
    t.notMatch((err as Error).message, 'pw', `${c.name}: no value in the message`);
  }
});

t.test('an empty password is accepted (only its absence is an error)', async (t) => {
  const { env, kube } = passFor(cr);
  kube.seed(SECRETS, secret({ user: b64('anylog'), pass: '' }));
  t.strictSame((await readSecretCredentials(env, ref)).credentials, { username: 'anylog', password: '' });
});

t.test('a Secret without resourceVersion reads as an empty one', async (t) => {
  class NoVersionKube extends FakeKube {
    override async get(type: ResourceType, r: ObjectRef): Promise<KubeObject | undefined> {
      const found = await super.get(type, r);
      if (found === undefined) return undefined;
      const { resourceVersion: _dropped, ...metadata } = found.metadata;
      return { ...found, metadata };
    }
  }
  const kube = new NoVersionKube();
  const { env } = passFor(cr, { kube });
  kube.seed(SECRETS, secret({ user: b64('anylog'), pass: b64('pw') }));
  t.equal((await readSecretCredentials(env, ref)).resourceVersion, '');
});

t.test('an API failure of the GET propagates as it is', async (t) => {
  const { env, kube } = passFor(cr);
  kube.seed(SECRETS, secret({ user: b64('anylog'), pass: b64('pw') }));
  const failure = serverError();
  kube.failNext('get', failure, SECRETS);
  await t.rejects(readSecretCredentials(env, ref), failure);
});
