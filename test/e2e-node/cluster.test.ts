// The local cluster's real node as a user of any cluster sees it: a Ready node whose runtime is
// containerd, pods with addresses from the pod range, a Service ClusterIP that carries traffic from the
// host and from a pod, cluster DNS that answers Service names and nothing else, a PersistentVolumeClaim
// of the default StorageClass that a non-root pod can write to, and the containment of the pod network
// (read from the rules and the pods' routing tables: no packet is sent outside to prove it).
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { getJson, kubectlOk, testNamespace, waitUntil, type KubeObject } from '../helpers/cluster.js';
import { execIn, nodeEnv, waitPodReady } from '../helpers/node-cluster.js';
import { containmentRules, nodeNetwork } from '../controlplane/src/realnode/network.js';

t.setTimeout(600_000);

const env = nodeEnv();
const restricted = {
  runAsNonRoot: true,
  runAsUser: 10001,
  runAsGroup: 10001,
  fsGroup: 10001,
  seccompProfile: { type: 'RuntimeDefault' },
};
const containerSecurity = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
};

/** A pod running a small HTTP server from the project image (Node is in it), answering its own name. */
function serverPod(ns: string, name: string, extra: KubeObject = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels: { app: name } },
    spec: {
      securityContext: restricted,
      terminationGracePeriodSeconds: 1,
      containers: [
        {
          name: 'web',
          image: env.image,
          imagePullPolicy: 'Never',
          command: [
            'node',
            '-e',
            `require('node:http').createServer((q, s) => s.end('${name}')).listen(8080)`,
          ],
          ports: [{ name: 'http', containerPort: 8080 }],
          readinessProbe: { httpGet: { path: '/', port: 'http' }, periodSeconds: 1 },
          securityContext: containerSecurity,
          ...extra,
        },
      ],
    },
  };
}

async function apply(obj: KubeObject): Promise<void> {
  await kubectlOk(['apply', '-f', '-'], { input: JSON.stringify(obj) });
}

t.test('the node is Ready, runs containerd and carries the pod range', async (t) => {
  const node = await getJson(['node', 'local-node-0']);
  const ready = (node.status.conditions as KubeObject[]).find((c) => c.type === 'Ready');
  t.equal(ready?.status, 'True', 'node Ready');
  t.match(node.status.nodeInfo.containerRuntimeVersion, /^containerd:\/\//, 'runtime containerd');
  const ip = (node.status.addresses as KubeObject[]).find((a) => a.type === 'InternalIP');
  t.equal(ip?.address, env.nodeIp, 'InternalIP is the node IP');
  t.equal(node.spec.podCIDR, nodeNetwork().podCidr, 'pod range');
});

t.test('Services, DNS and storage work from pods and the host', async (t) => {
  const ns = await testNamespace(t, 'nodecl');
  await apply(serverPod(ns, 'web'));
  await apply({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: ns },
    spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
  });
  const web = await waitPodReady(ns, 'web');
  const [net, bits] = nodeNetwork().podCidr.split('/');
  t.ok(
    web.status.podIP.startsWith(
      net
        ?.split('.')
        .slice(0, Number(bits) / 8)
        .join('.'),
    ),
    `pod IP ${web.status.podIP} in the pod range`,
  );
  t.match(web.status.containerStatuses[0].containerID, /^containerd:\/\//);
  const svc = await getJson(['-n', ns, 'service', 'web']);
  const clusterIp = svc.spec.clusterIP as string;

  await t.test('a ClusterIP answers from the host (kube-proxy)', async (t) => {
    const body = await waitUntil(
      'the Service from the host',
      async () => {
        const r = await fetch(`http://${clusterIp}/`, { signal: AbortSignal.timeout(2000) });
        return r.ok ? r.text() : undefined;
      },
      60_000,
      500,
    );
    t.equal(body, 'web');
  });

  await apply(serverPod(ns, 'client'));
  await waitPodReady(ns, 'client');
  const fetchFrom = (url: string): Promise<{ code: number; stdout: string; stderr: string }> =>
    execIn(ns, 'client', 'web', [
      'node',
      '-e',
      `fetch(${JSON.stringify(url)}, { signal: AbortSignal.timeout(5000) }).then(r => r.text()).then(b => process.stdout.write(b), e => { console.error(String(e.cause ?? e)); process.exit(1); })`,
    ]);

  await t.test('a pod reaches the Service by ClusterIP and by DNS name', async (t) => {
    t.equal((await fetchFrom(`http://${clusterIp}/`)).stdout, 'web', 'by ClusterIP');
    t.equal((await fetchFrom(`http://web.${ns}.svc.cluster.local/`)).stdout, 'web', 'by FQDN');
    t.equal((await fetchFrom(`http://web/`)).stdout, 'web', 'by short name (search path)');
  });

  await t.test('cluster DNS answers the cluster zone only', async (t) => {
    const lookup = (name: string): Promise<{ code: number; stdout: string; stderr: string }> =>
      execIn(ns, 'client', 'web', [
        'node',
        '-e',
        `require('node:dns').promises.resolve4(${JSON.stringify(name)}).then(a => console.log(a.join(',')), e => { console.log(e.code); })`,
      ]);
    t.equal((await lookup(`web.${ns}.svc.cluster.local`)).stdout.trim(), clusterIp, 'Service name');
    t.equal(
      (await lookup('kubernetes.default.svc.cluster.local')).stdout.trim(),
      '10.96.0.1',
      'kubernetes Service',
    );
    // REFUSED from CoreDNS (no zone, no upstream): the resolver reports a refusal, never an address.
    t.equal((await lookup('example.com')).stdout.trim(), 'EREFUSED', 'outside name refused');
    const conf = await execIn(ns, 'client', 'web', ['cat', '/etc/resolv.conf']);
    t.match(
      conf.stdout,
      new RegExp(`nameserver ${env.nodeIp.replace(/\./g, '\\.')}`),
      'pods use the cluster DNS',
    );
    t.notMatch(conf.stdout, /nameserver (?!10\.244\.0\.1)/, 'and no other nameserver');
  });

  await t.test('a pod has no default route', async (t) => {
    const routes = await execIn(ns, 'client', 'web', ['cat', '/proc/net/route']);
    t.equal(routes.code, 0, routes.stderr);
    const dests = routes.stdout
      .split('\n')
      .slice(1)
      .filter((l) => l.trim() !== '')
      .map((l) => l.split(/\s+/)[1]);
    t.ok(dests.length >= 2, `routes: ${dests.join(' ')}`);
    t.notOk(dests.includes('00000000'), 'no 0.0.0.0/0 route in the pod');
  });

  await t.test('a claim of the default StorageClass binds and a non-root pod writes to it', async (t) => {
    await apply({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data', namespace: ns },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '16Mi' } } },
    });
    const p = serverPod(ns, 'writer', {
      volumeMounts: [{ name: 'data', mountPath: '/data' }],
    });
    p.spec.volumes = [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }];
    await apply(p);
    await waitPodReady(ns, 'writer');
    const w = await execIn(ns, 'writer', 'web', ['sh', '-c', 'echo kept > /data/f && cat /data/f && id -u']);
    t.equal(w.code, 0, w.stderr);
    t.equal(w.stdout, 'kept\n10001\n');
    const pvc = await getJson(['-n', ns, 'pvc', 'data']);
    t.equal(pvc.status.phase, 'Bound');
    t.equal(pvc.spec.storageClassName, 'local-path', 'the default StorageClass');
    const pv = await getJson(['pv', pvc.spec.volumeName]);
    t.ok(pv.spec.local?.path, 'a local PersistentVolume');
  });
});

/** nft prints set elements in its own order: sort them on both sides before comparing. */
const sortSets = (text: string): string =>
  text.replace(/\{ ([^{}]+) \}/g, (_m, inner: string) => `{ ${inner.split(', ').sort().join(', ')} }`);

t.test('the pod network is contained', async (t) => {
  const n = nodeNetwork();
  const table = sortSets(execFileSync('nft', ['list', 'table', 'inet', n.nftTable], { encoding: 'utf8' }));
  // Every rule of the table as set up, in nft's own printing (sets and priorities are normalised by nft).
  const rules = sortSets(containmentRules(n))
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => / drop$/.test(l));
  t.ok(rules.length >= 5);
  for (const r of rules) t.ok(table.includes(r), `rule in place: ${r}`);
  t.match(table, /hook forward priority filter - 10; policy accept;/, 'forward hook before iptables filter');
  t.match(table, /hook input priority filter - 10; policy accept;/, 'input hook before iptables filter');
  // `ip route get` only asks the kernel: an address of the Service range that nothing answers must go to
  // the bridge, never to the machine's default gateway.
  const route = execFileSync('ip', ['route', 'get', n.serviceCidr.replace(/\d+\/\d+$/, '250')], {
    encoding: 'utf8',
  });
  t.match(
    route,
    new RegExp(`dev ${n.bridge} src ${n.nodeIp.replace(/\./g, '\\.')}`),
    `Service range routed to the bridge: ${route}`,
  );
  const nat = execFileSync('iptables', ['-t', 'nat', '-S'], { encoding: 'utf8' });
  t.notMatch(
    nat,
    new RegExp(`-s ${n.podCidr.replace(/\./g, '\\.')}[^\\n]*MASQUERADE`),
    'no masquerading of the pod range',
  );
});
