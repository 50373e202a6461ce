// Managed ledger against the real control plane and the runner's postgres shim: the
// credentials Secret is generated once (no owner reference under Retain), the PostgreSQL StatefulSet runs,
// the node reaches Ready on it (LEDGER_ADDRESSING=pod-ip), and the ledger holds exactly one master row.
import pg from 'pg';
import t from 'tap';
import { getJson, testNamespace, waitUntil } from '../../../helpers/cluster.js';
import { applyObject, condition, describe, ensureCrd, startOperator, waitReady } from './harness.js';

t.test('the managed sample reaches Ready with one policy row', async (t) => {
  const ns = await testNamespace(t, 'alm-mgd');
  await ensureCrd();
  await startOperator(t, ns);
  await applyObject({
    apiVersion: 'anylog.co/v1alpha1',
    kind: 'AnyLogMaster',
    metadata: { name: 'mgd', namespace: ns },
    spec: {
      nodeName: 'anylog-master-mgd',
      company: 'New Company',
      network: { tcpBind: true, restBind: true },
      ledger: { managed: {} },
    },
  });
  const ready = await waitReady(ns, 'mgd', 240_000).catch(async (err: unknown) => {
    t.comment(await describe(ns, 'mgd'));
    throw err;
  });
  t.equal(condition(ready, 'LedgerReady').reason, 'Provisioned');
  t.equal(ready.status.ledger.mode, 'Managed');
  t.equal(ready.status.ledger.secretName, 'mgd-ledger-credentials');

  const secret = await getJson(['-n', ns, 'secret', 'mgd-ledger-credentials']);
  t.equal(secret.type, 'kubernetes.io/basic-auth');
  t.equal(secret.metadata.labels['app.kubernetes.io/instance'], 'mgd');
  t.same(secret.metadata.ownerReferences ?? [], [], 'Retain: the Secret has no owner reference');
  const password = Buffer.from(secret.data.password as string, 'base64').toString('utf8');
  const username = Buffer.from(secret.data.username as string, 'base64').toString('utf8');
  t.ok(password.length >= 40, 'a generated password');
  const cm = await getJson(['-n', ns, 'configmap', 'mgd-config']);
  t.notMatch(JSON.stringify(cm.data), new RegExp(password), 'no password in the ConfigMap');
  t.notMatch(JSON.stringify(ready.status), new RegExp(password), 'no password in status');

  const pgPod = await getJson(['-n', ns, 'pod', 'mgd-ledger-0']);
  const client = new pg.Client({
    host: pgPod.status.podIP as string,
    port: 5432,
    user: username,
    password,
    database: 'blockchain',
  });
  await client.connect();
  try {
    // The node stores the policy in its local metadata first and in the ledger through its sync
    // connection right after; wait (bounded) for the row.
    const ids = await waitUntil(
      'the master policy row',
      async () => {
        const rows = await client.query<{ policy_id: string }>(
          "SELECT policy_id FROM ledger WHERE policy_type = 'master'",
        );
        return rows.rows.length > 0 ? rows.rows.map((r) => r.policy_id) : undefined;
      },
      30_000,
      500,
    );
    t.same(ids, [ready.status.policyId], 'exactly one master policy row, the posted one');
  } finally {
    await client.end();
  }
});
