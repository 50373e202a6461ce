// The in-process operator of these suites is NOT admin: its kubeconfig (test/helpers/operator-identity.ts)
// authenticates as the chart's ServiceAccount, holds exactly the chart's default (cluster-wide) RBAC of
// And is denied with 403 what that table does not grant: deleting namespaces, pods or
// AnyLogMasters, creating ClusterRoles, listing nodes. The admin kubeconfig is checked alongside, so a
// harness that fell back to admin would fail here.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { KubeApiError, createKubeClient } from '../../../../src/operator/framework/kube-client.js';
import type { ResourceType } from '../../../../src/operator/framework/kube.js';
import { Metrics } from '../../../../src/operator/framework/metrics.js';
import {
  ANYLOG_MASTERS,
  PODS,
  SECRETS,
  STATEFULSETS,
} from '../../../../src/operator/anylogmaster/resources.js';
import { clusterEnv, getJson, kubectl, kubectlOk, testNamespace } from '../../../helpers/cluster.js';
import { kubectlAs, operatorIdentity } from '../../../helpers/operator-identity.js';
import { ensureCrd, operatorKubeIdentity, reviewedUser } from './harness.js';

const cluster = (group: string, version: string, plural: string, kind: string): ResourceType => ({
  group,
  version,
  plural,
  kind,
  namespaced: false,
});
const NAMESPACES = cluster('', 'v1', 'namespaces', 'Namespace');
const NODES = cluster('', 'v1', 'nodes', 'Node');
const CLUSTER_ROLES = cluster('rbac.authorization.k8s.io', 'v1', 'clusterroles', 'ClusterRole');

/** The HTTP status a call fails with, or 200 when it succeeds. */
async function statusOf(call: () => Promise<unknown>): Promise<number> {
  try {
    await call();
    return 200;
  } catch (err) {
    if (err instanceof KubeApiError) return err.status;
    throw err;
  }
}

/** `kubectl auth can-i --list` rows as "resource verbs" strings. */
function canIRows(out: string): Map<string, string> {
  const rows = new Map<string, string>();
  for (const line of out.split('\n').slice(1)) {
    const m = /^(\S+)\s.*\[([^\]]*)\]\s*$/.exec(line.trim());
    if (m?.[1] !== undefined && m[2] !== undefined) rows.set(m[1], m[2].split(' ').sort().join(','));
  }
  return rows;
}

t.test('the operator kubeconfig is the chart ServiceAccount, not admin', async (t) => {
  const identity = await operatorKubeIdentity();
  t.equal(identity.username, `system:serviceaccount:${identity.namespace}:${identity.serviceAccount}`);
  t.equal(identity.serviceAccount, 'it-anylog-operator', 'the chart fullname of release "it"');
  t.equal(
    await reviewedUser(identity.kubeconfig),
    identity.username,
    'kubectl auth whoami with the operator kubeconfig',
  );
  const admin = await reviewedUser(clusterEnv().kubeconfig);
  t.not(admin, identity.username, `the admin kubeconfig is someone else (${admin})`);

  const whoami = await kubectlAs(identity, ['auth', 'whoami', '-o', 'json']);
  t.equal(whoami.code, 0, whoami.stderr);
  const user = JSON.parse(whoami.stdout).status.userInfo;
  t.equal(user.username, identity.username, 'kubectl auth whoami');
  t.ok((user.groups as string[]).includes('system:serviceaccounts'), 'in the ServiceAccounts group');
  t.notOk((user.groups as string[]).includes('system:masters'), 'not in system:masters');

  const cfg = parse(readFileSync(identity.kubeconfig, 'utf8'));
  const jwt = JSON.parse(
    Buffer.from(String(cfg.users[0].user.token).split('.')[1] ?? '', 'base64url').toString(),
  );
  t.comment(`operator token lifetime: ${(jwt.exp - jwt.iat) / 3600} h`);
  t.ok(
    jwt.exp - jwt.iat >= 3600,
    'the token outlives a suite run (3 h asked, the apiserver default 1 h at least)',
  );
  t.equal(
    cfg.clusters[0].cluster.server,
    parse(readFileSync(clusterEnv().kubeconfig, 'utf8')).clusters[0].cluster.server,
  );
  t.equal((await operatorIdentity()).kubeconfig, identity.kubeconfig, 'a second call reuses the identity');
  const sa = await getJson(['-n', identity.namespace, 'serviceaccount', identity.serviceAccount]);
  t.equal(sa.metadata.name, identity.serviceAccount, 'the ServiceAccount exists in the chart namespace');
});

t.test('can-i --list shows the chart rules and no wildcard', async (t) => {
  const identity = await operatorIdentity();
  const ns = await testNamespace(t, 'alm-id');
  const mine = await kubectlAs(identity, ['auth', 'can-i', '--list', '-n', ns]);
  t.equal(mine.code, 0, mine.stderr);
  const rows = canIRows(mine.stdout);
  t.equal(rows.get('anylogmasters.anylog.co'), 'get,list,patch,watch', mine.stdout);
  t.equal(rows.get('statefulsets.apps'), 'create,get,list,patch,watch');
  t.equal(rows.get('pods'), 'get,list,watch');
  t.notOk(rows.has('*.*'), 'no wildcard rule');
  const admin = canIRows(await kubectlOk(['auth', 'can-i', '--list', '-n', ns]));
  t.ok(admin.has('*.*'), 'the admin has the wildcard rule (the comparison can fail)');
});

t.test('what the chart does not grant is denied with 403', async (t) => {
  const identity = await operatorIdentity();
  const ns = await testNamespace(t, 'alm-id');
  await ensureCrd();
  const kube = createKubeClient({
    metrics: new Metrics({ prefix: 'anylog_test', defaultMetrics: false }),
    kubeconfigPath: identity.kubeconfig,
  });
  const fm = { fieldManager: 'anylog-operator' };

  // Granted by the chart (cluster-wide scope): the operator's own reads work in any namespace.
  t.equal(await statusOf(() => kube.list(ANYLOG_MASTERS, {})), 200, 'list AnyLogMasters cluster-wide');
  t.equal(await statusOf(() => kube.list(STATEFULSETS, { namespace: ns })), 200, 'list StatefulSets');
  t.equal(await statusOf(() => kube.get(SECRETS, { namespace: ns, name: 'x' })), 200, 'get a Secret');

  // Not granted: delete on anything but NetworkPolicies, nothing cluster-scoped, no RBAC writes.
  t.equal(await statusOf(() => kube.delete(NAMESPACES, { name: ns })), 403, 'delete a Namespace');
  t.equal(await statusOf(() => kube.delete(PODS, { namespace: ns, name: 'x' })), 403, 'delete a Pod');
  t.equal(
    await statusOf(() => kube.delete(ANYLOG_MASTERS, { namespace: ns, name: 'x' })),
    403,
    'delete an AnyLogMaster',
  );
  t.equal(await statusOf(() => kube.list(NODES, {})), 403, 'list Nodes');
  t.equal(await statusOf(() => kube.list(NAMESPACES, {})), 403, 'list Namespaces');
  const role = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: `alm-id-escalate-${ns}` },
    rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
  };
  t.equal(await statusOf(() => kube.create(CLUSTER_ROLES, role, fm)), 403, 'create a ClusterRole');

  const del = await kubectlAs(identity, ['delete', 'namespace', ns, '--wait=false']);
  t.not(del.code, 0, 'kubectl delete namespace as the operator fails');
  t.match(del.stderr, /forbidden/i);
  t.match(del.stderr, identity.username);
  t.equal((await kubectl(['get', 'namespace', ns])).code, 0, 'the namespace is still there');
  t.equal(
    (await kubectlOk(['auth', 'can-i', 'delete', 'namespaces'])).trim(),
    'yes',
    'while the admin may delete it',
  );
});
