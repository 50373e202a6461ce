// The real node's pure parts: range arithmetic and the overlap refusal, the containment rules, the CNI
// network (no masquerading, no default route), containerd's and the kubelet's configuration, and the
// provisioner's PersistentVolume.
import t from 'tap';
import {
  containmentRules,
  firstServiceIp,
  lastPodAddress,
  testHostAddress,
  nodeNetwork,
  overlaps,
  parseCidr,
} from '../../controlplane/src/realnode/network.js';
import { cniConfig, containerdConfig, containerdPaths } from '../../controlplane/src/realnode/containerd.js';
import { corefile, kubeletConfig, NODE_NAME } from '../../controlplane/src/realnode/components.js';
import { volumeFor, STORAGE_CLASS } from '../../controlplane/src/realnode/provisioner.js';
import {
  NETPOL_CHAIN,
  NETPOL_QUEUE,
  netpolCommand,
  queueRules,
} from '../../controlplane/src/realnode/netpol.js';

const n = nodeNetwork({
  podCidr: '10.244.0.0/24',
  serviceCidr: '10.96.0.0/24',
  nodeIp: '',
  bridge: 'br-test',
  nftTable: 'tbl',
});

t.test('ranges', async (t) => {
  t.same(parseCidr('10.244.0.7/24'), [0x0af40000, 0x0af400ff]);
  t.same(parseCidr('192.0.2.2'), [0xc0000202, 0xc0000202], 'a bare address is a /32');
  t.ok(overlaps('10.0.0.0/8', '10.244.0.0/24'));
  t.ok(overlaps('10.244.0.255/32', '10.244.0.0/24'));
  t.notOk(overlaps('10.245.0.0/24', '10.244.0.0/24'));
  t.notOk(overlaps('192.0.2.0/24', '10.96.0.0/24'));
  t.equal(n.nodeIp, '10.244.0.1', 'the node IP is the pod subnet first address');
  t.equal(firstServiceIp(n), '10.96.0.1');
  t.equal(testHostAddress(n), '10.244.0.254', 'the test host takes the last host address');
  t.equal(lastPodAddress(n), '10.244.0.253', 'pods stop below it');
  t.throws(() => parseCidr('10.0.0.0/33'));
  t.throws(() => parseCidr('10.0.0/8'));
});

t.test('containment rules drop everything from pods but the pod and Service ranges', async (t) => {
  const r = containmentRules(n);
  t.match(r, 'table inet tbl {');
  t.match(r, 'iifname "br-test" ip daddr != { 10.244.0.0/24, 10.96.0.0/24 } drop');
  t.match(r, 'ip saddr 10.244.0.0/24 ip daddr != { 10.244.0.0/24, 10.96.0.0/24 } drop');
  t.match(
    r,
    'iifname "br-test" ip daddr != 10.244.0.0/24 drop',
    'input: only the node IP (inside the pod range)',
  );
  t.match(r, 'ip saddr 10.244.0.0/24 oifname != { "br-test", "lo" } drop');
  t.match(r, /hook forward priority -10;/, 'before iptables filter chains');
  t.equal((r.match(/meta nfproto ipv6 drop/g) ?? []).length, 2, 'no IPv6 from pods at all');
});

t.test('CNI: bridge gateway is the node IP, no masquerade, routes only to Services', async (t) => {
  const c = JSON.parse(cniConfig(n, '/run/x/ipam'));
  const bridge = c.plugins[0];
  t.equal(bridge.type, 'bridge');
  t.equal(bridge.bridge, 'br-test');
  t.equal(bridge.ipMasq, false);
  t.equal(bridge.isGateway, true);
  t.notOk('isDefaultGateway' in bridge, 'no default route');
  t.same(bridge.ipam.routes, [{ dst: '10.96.0.0/24' }]);
  t.same(bridge.ipam.ranges, [
    [{ subnet: '10.244.0.0/24', gateway: '10.244.0.1', rangeEnd: '10.244.0.253' }],
  ]);
  t.equal(bridge.ipam.dataDir, '/run/x/ipam', 'IPAM state inside the run');
});

t.test('containerd: run-local state, pause image, OOM score restriction, cgroupfs', async (t) => {
  const p = containerdPaths('/cache', '/run/x');
  t.equal(p.root, '/cache/containerd/root');
  t.equal(p.socket, '/run/x/containerd/containerd.sock');
  const cfg = containerdConfig(p, 'localhost/anylog/pause:3.10');
  t.match(cfg, 'sandbox_image = "localhost/anylog/pause:3.10"');
  t.match(cfg, 'restrict_oom_score_adj = true');
  t.match(cfg, 'SystemdCgroup = false');
  t.match(cfg, 'Root = "/run/x/containerd/runc"');
  t.match(cfg, 'conf_dir = "/run/x/cni/net.d"');
});

t.test(
  'kubelet: cgroupfs on v1, no anonymous access, DNS at the node IP, never collects images',
  async (t) => {
    const k = kubeletConfig({
      bin: 'kubelet',
      runDir: '/run/x',
      kubeconfig: '/run/x/kubeconfig',
      network: n,
      pki: {
        caCert: 'ca.crt',
        caKey: 'ca.key',
        kubeletCert: 'k.crt',
        kubeletKey: 'k.key',
        apiClientCert: 'a.crt',
        apiClientKey: 'a.key',
      },
      containerdSocket: '/run/x/containerd/containerd.sock',
      port: 10250,
      healthzPort: 10248,
    });
    t.equal(k['cgroupDriver'], 'cgroupfs');
    t.equal(k['failCgroupV1'], false);
    t.same(k['authentication'], {
      anonymous: { enabled: false },
      webhook: { enabled: true },
      x509: { clientCAFile: 'ca.crt' },
    });
    t.equal(k['readOnlyPort'], 0);
    t.same(k['clusterDNS'], ['10.244.0.1']);
    t.equal(k['address'], '10.244.0.1');
    t.equal(k['imageGCHighThresholdPercent'], 100);
    t.equal(k['containerRuntimeEndpoint'], 'unix:///run/x/containerd/containerd.sock');
  },
);

t.test('CoreDNS serves the cluster zone only and never forwards', async (t) => {
  const f = corefile({ bin: 'coredns', runDir: '/run/x', kubeconfig: '/k', network: n, readyPort: 1 });
  t.match(f, /^cluster\.local:53 \{/);
  t.match(f, 'bind 10.244.0.1');
  t.notMatch(f, /forward|\.:53/);
});

t.test('provisioner: a local PV pinned to the node and bound to the claim', async (t) => {
  const pv = volumeFor(
    {
      metadata: { name: 'data', namespace: 'ns', uid: 'u-1' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '2Gi' } } },
    },
    '/run/x/pvs/ns_data_u-1',
  );
  t.equal(pv['metadata']['name'], 'pvc-u-1');
  t.same(pv['spec']['claimRef'], { namespace: 'ns', name: 'data', uid: 'u-1' });
  t.same(pv['spec']['local'], { path: '/run/x/pvs/ns_data_u-1' });
  t.equal(pv['spec']['capacity']['storage'], '2Gi');
  t.equal(pv['spec']['storageClassName'], STORAGE_CLASS);
  t.equal(pv['spec']['persistentVolumeReclaimPolicy'], 'Delete');
  t.same(pv['spec']['nodeAffinity']['required']['nodeSelectorTerms'][0]['matchExpressions'][0]['values'], [
    NODE_NAME,
  ]);
});

t.test('NetworkPolicy enforcement: the queue rules and the controller command line', async (t) => {
  const rules = queueRules(n);
  t.same(rules[0], ['-t', 'mangle', '-N', NETPOL_CHAIN], 'a chain of its own');
  t.same(rules[1], ['-t', 'mangle', '-I', 'FORWARD', '1', '-j', NETPOL_CHAIN], 'jumped to first');
  const queued = rules.slice(2);
  t.same(
    queued.map((r) => r[r.indexOf('-p') + 1]),
    ['tcp', 'udp', 'sctp'],
  );
  for (const r of queued) {
    t.equal(r[r.indexOf('-s') + 1], '10.244.0.0/24', 'from a pod');
    t.equal(r[r.indexOf('-d') + 1], '10.244.0.0/24', 'to a pod');
    t.equal(r[r.indexOf('--ctstate') + 1], 'NEW', 'only the first packet of a connection');
    t.equal(r[r.indexOf('--queue-num') + 1], String(NETPOL_QUEUE));
  }
  const cmd = netpolCommand({ bin: '/x/kube-network-policies', kubeconfig: '/run/admin.kubeconfig' });
  t.equal(cmd.cmd, '/x/kube-network-policies');
  t.ok(cmd.args.includes('--kubeconfig=/run/admin.kubeconfig'));
  t.ok(cmd.args.includes(`--hostname-override=${NODE_NAME}`), 'the node the kubelet registers');
  t.ok(cmd.args.includes(`--nfqueue-id=${NETPOL_QUEUE}`), 'the queue the rules feed');
});
