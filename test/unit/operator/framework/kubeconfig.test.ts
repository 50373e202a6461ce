// kubeconfig.ts: which kubeconfigs the native transport takes (token, token file, client certificate,
// CA by data or by path relative to the file) and which go to the library (exec, auth providers,
// proxies, several KUBECONFIG files); the KUBECONFIG → ~/.kube/config → in-cluster order.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { stringify } from 'yaml';
import { KubeApiError } from '../../../../src/operator/framework/kube.js';
import {
  connectionFromKubeconfig,
  resolveConnection,
  type ConnectionSource,
} from '../../../../src/operator/framework/kubeconfig.js';

function kubeconfig(cluster: Record<string, unknown>, user: Record<string, unknown>): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'c', cluster }],
    users: [{ name: 'u', user }],
    contexts: [{ name: 'ctx', context: { cluster: 'c', user: 'u' } }],
    'current-context': 'ctx',
  });
}

function native(source: ConnectionSource) {
  if (source.kind !== 'native') throw new Error(`expected native, got library: ${source.reason}`);
  return source.connection;
}

const b64 = (s: string): string => Buffer.from(s).toString('base64');

t.test('token, CA data and client certificate data are taken natively', async (t) => {
  const c = native(
    connectionFromKubeconfig(
      kubeconfig(
        { server: 'https://10.0.0.1:6443/', 'certificate-authority-data': b64('CA') },
        { token: 'tok', 'client-certificate-data': b64('CERT'), 'client-key-data': b64('KEY') },
      ),
      '/nowhere',
    ),
  );
  t.equal(c.server, 'https://10.0.0.1:6443', 'trailing slash dropped');
  t.same(c.bearer, { kind: 'token', token: 'tok' });
  t.equal(c.ca?.toString(), 'CA');
  t.equal(c.cert?.toString(), 'CERT');
  t.equal(c.key?.toString(), 'KEY');
  t.equal(c.insecureSkipTlsVerify, false);
});

t.test('relative file paths resolve against the kubeconfig directory', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kubeconfig-'));
  writeFileSync(join(dir, 'ca.crt'), 'CA-FILE');
  const c = native(
    connectionFromKubeconfig(
      kubeconfig(
        { server: 'https://h:1', 'certificate-authority': 'ca.crt', 'insecure-skip-tls-verify': true },
        { tokenFile: 'sa/token' },
      ),
      dir,
    ),
  );
  t.equal(c.ca?.toString(), 'CA-FILE');
  t.same(c.bearer, { kind: 'file', path: join(dir, 'sa/token') });
  t.equal(c.insecureSkipTlsVerify, true);
});

t.test('exec plugins, auth providers, basic auth and proxies go to the library', async (t) => {
  const cases: [Record<string, unknown>, Record<string, unknown>, RegExp][] = [
    [{ server: 'https://h' }, { exec: { command: 'aws' } }, /exec/],
    [{ server: 'https://h' }, { 'auth-provider': { name: 'oidc' } }, /auth-provider/],
    [{ server: 'https://h' }, { username: 'a', password: 'b' }, /username, password/],
    [{ server: 'https://h', 'proxy-url': 'http://proxy:3128' }, { token: 't' }, /proxy-url/],
  ];
  for (const [cluster, user, reason] of cases) {
    const source = connectionFromKubeconfig(kubeconfig(cluster, user), '/');
    t.equal(source.kind, 'library');
    if (source.kind === 'library') t.match(source.reason, reason);
  }
});

t.test('broken kubeconfigs fail with InvalidKubeconfig naming what is missing', async (t) => {
  const noContext = stringify({ clusters: [], users: [], contexts: [] });
  t.throws(() => connectionFromKubeconfig(noContext, '/'), {
    reason: 'InvalidKubeconfig',
    message: /current-context/,
  });
  const noServer = kubeconfig({}, { token: 't' });
  const err = (() => {
    try {
      connectionFromKubeconfig(noServer, '/');
    } catch (e) {
      return e;
    }
    return undefined;
  })();
  t.type(err, KubeApiError);
  t.match((err as Error).message, /cluster "c" has no server/);
});

t.test('resolution order: explicit path, KUBECONFIG, ~/.kube/config, in-cluster', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kubeconfig-order-'));
  const file = join(dir, 'config');
  writeFileSync(file, kubeconfig({ server: 'https://from-file:1' }, { token: 'a' }));
  t.equal(native(resolveConnection({ env: {}, path: file })).server, 'https://from-file:1');
  t.equal(native(resolveConnection({ env: { KUBECONFIG: file } })).server, 'https://from-file:1');
  const several = resolveConnection({ env: { KUBECONFIG: `${file}:${file}` } });
  t.equal(several.kind, 'library', 'merged kubeconfig lists are left to the library');

  const home = join(dir, 'home');
  mkdirSync(join(home, '.kube'), { recursive: true });
  writeFileSync(join(home, '.kube', 'config'), kubeconfig({ server: 'https://from-home:2' }, {}));
  const fromHome = native(resolveConnection({ env: { HOME: home } }));
  t.equal(fromHome.server, 'https://from-home:2');
  t.same(fromHome.bearer, { kind: 'none' });

  const sa = join(dir, 'sa');
  mkdirSync(sa);
  writeFileSync(join(sa, 'token'), 'sa-token');
  writeFileSync(join(sa, 'ca.crt'), 'SA-CA');
  const env = {
    HOME: join(dir, 'empty-home'),
    KUBERNETES_SERVICE_HOST: 'fd00::1',
    KUBERNETES_SERVICE_PORT: '443',
  };
  const inCluster = resolveConnection({ env, serviceAccountDir: sa });
  t.equal(inCluster.kind === 'native' ? inCluster.origin : '', 'in-cluster');
  const c = native(inCluster);
  t.equal(c.server, 'https://[fd00::1]:443', 'IPv6 service host bracketed');
  t.same(c.bearer, { kind: 'file', path: join(sa, 'token') }, 'token re-read from its file (rotation)');
  t.equal(c.ca?.toString(), 'SA-CA');

  t.throws(() => resolveConnection({ env: { HOME: join(dir, 'empty-home') }, serviceAccountDir: sa }), {
    reason: 'InvalidKubeconfig',
    message: /no kubeconfig/,
  });
});
