import t from 'tap';
import { ObjectCache } from '../../../../src/operator/framework/cache.js';
import type { KubeObject } from '../../../../src/operator/framework/kube.js';
import { normalizeObject, parseStatusBody } from '../../../../src/operator/framework/normalize.js';

const obj = (name: string, rv: string, extra: Partial<KubeObject['metadata']> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'ns', resourceVersion: rv, ...extra },
});

t.test('upsert reports added, updated and unchanged', async (t) => {
  const c = new ObjectCache();
  t.equal(c.upsert(obj('a', '1'))?.type, 'added');
  t.equal(c.upsert(obj('a', '1')), undefined, 'same resourceVersion is not a change');
  const d = c.upsert(obj('a', '2'));
  t.equal(d?.type, 'updated');
  t.equal(d?.type === 'updated' ? d.old.metadata.resourceVersion : '', '1');
  t.equal(c.get('ns/a')?.metadata.resourceVersion, '2');
  t.equal(c.size, 1);
});

t.test('replace synthesises deletes for objects missing from a relist', async (t) => {
  const c = new ObjectCache();
  c.upsert(obj('keep', '1'));
  c.upsert(obj('gone', '1'));
  c.upsert(obj('changed', '1'));
  const deltas = c.replace([obj('keep', '1'), obj('changed', '5'), obj('new', '6')]);
  t.same(deltas.map((d) => `${d.type}:${d.object.metadata.name}`).sort(), [
    'added:new',
    'deleted:gone',
    'updated:changed',
  ]);
  t.same([...c.keys()].sort(), ['ns/changed', 'ns/keep', 'ns/new']);
});

t.test('indexes by owner uid and by label follow updates and removals', async (t) => {
  const c = new ObjectCache();
  const owner = { apiVersion: 'x/v1', kind: 'X', name: 'o', uid: 'u1', controller: true };
  c.upsert(obj('a', '1', { ownerReferences: [owner], labels: { app: 'one' } }));
  c.upsert(obj('b', '1', { labels: { app: 'one' } }));
  t.same(
    c.byOwner('u1').map((o) => o.metadata.name),
    ['a'],
  );
  t.same(
    c
      .byLabel('app', 'one')
      .map((o) => o.metadata.name)
      .sort(),
    ['a', 'b'],
  );
  c.upsert(obj('a', '2', { labels: { app: 'two' } }));
  t.same(c.byOwner('u1'), [], 'owner reference dropped');
  t.same(
    c.byLabel('app', 'one').map((o) => o.metadata.name),
    ['b'],
  );
  t.same(
    c.byLabel('app', 'two').map((o) => o.metadata.name),
    ['a'],
  );
  t.equal(c.remove(obj('b', '3'))?.type, 'deleted');
  t.equal(c.remove(obj('b', '3')), undefined, 'second remove is a no-op');
  t.same(c.byLabel('app', 'one'), []);
});

t.test('normalisation sets apiVersion/kind and strips managedFields', async (t) => {
  const type = {
    group: 'apps',
    version: 'v1',
    plural: 'statefulsets',
    kind: 'StatefulSet',
    namespaced: true,
  };
  const o = normalizeObject(
    {
      metadata: {
        name: 's',
        namespace: 'n',
        managedFields: [{ manager: 'x' }],
        creationTimestamp: '2026-11-26T12:00:00Z',
      },
      spec: {},
    },
    type,
  );
  t.equal(o.apiVersion, 'apps/v1');
  t.equal(o.kind, 'StatefulSet');
  t.notOk('managedFields' in o.metadata);
  t.equal(o.metadata.creationTimestamp, '2026-11-26T12:00:00Z', 'timestamps stay strings');
  t.throws(() => normalizeObject({ metadata: {} }, type), { code: 'ERR_KUBE_API' });
});

t.test('Status bodies are parsed tolerantly', async (t) => {
  t.same(parseStatusBody('{"kind":"Status","code":410,"reason":"Expired","message":"too old"}'), {
    code: 410,
    reason: 'Expired',
    message: 'too old',
  });
  t.same(parseStatusBody('<html>bad gateway</html>'), { message: '<html>bad gateway</html>' });
  t.same(parseStatusBody(''), {});
  t.same(parseStatusBody('[1]'), {});
});
