// The library transport (client-node's HTTP stack and Watch, loaded lazily for exec plugins, auth
// providers and proxies) against the real API server: apply, get, errors and a watch behave as with
// the native transport, and requests are counted with the server's host:port.
import t from 'tap';
import { createKubeClient } from '../../../../src/operator/framework/kube-client.js';
import { isNotFound, type WatchEvent } from '../../../../src/operator/framework/kube.js';
import { Metrics } from '../../../../src/operator/framework/metrics.js';
import { CONFIGMAPS, FM, configMap, requireKubeconfig, testNamespace } from './fixtures/cluster.js';

const metrics = new Metrics({ prefix: 'anylog', defaultMetrics: false });
const kube = createKubeClient({ metrics, kubeconfigPath: requireKubeconfig(), transport: 'library' });

t.test('library transport against the control plane', async (t) => {
  t.teardown(() => kube.close());
  const ns = await testNamespace(t, kube, 'fw-library');
  const applied = await kube.apply(CONFIGMAPS, configMap(ns, 'lib', { a: '1' }), FM);
  t.same(applied['data'], { a: '1' });
  const got = await kube.get(CONFIGMAPS, { namespace: ns, name: 'lib' });
  t.equal(got?.metadata.resourceVersion, applied.metadata.resourceVersion);
  const missing = await kube
    .mergePatch(CONFIGMAPS, { namespace: ns, name: 'nope' }, {}, FM)
    .catch((e: unknown) => e);
  t.ok(isNotFound(missing), 'a 404 is classified from the Status body');

  const events: WatchEvent[] = [];
  const abort = new AbortController();
  const list = await kube.list(CONFIGMAPS, { namespace: ns });
  const ended = kube.watch(
    CONFIGMAPS,
    { namespace: ns, resourceVersion: list.resourceVersion, timeoutSeconds: 60, signal: abort.signal },
    (e) => {
      events.push(e);
      if (e.type === 'ADDED' && e.object.metadata.name === 'second') abort.abort();
    },
  );
  await kube.apply(CONFIGMAPS, configMap(ns, 'second', { b: '2' }), FM);
  const timer = setTimeout(() => abort.abort(), 20_000);
  t.equal(await ended, 'aborted');
  clearTimeout(timer);
  t.ok(
    events.some((e) => e.type === 'ADDED' && e.object.metadata.name === 'second'),
    'watch event seen',
  );
  const text = await metrics.text();
  t.match(
    text,
    /rest_client_requests_total\{code="201",method="PATCH",host="127\.0\.0\.1:\d+"\}/,
    'counted with the host',
  );
});
