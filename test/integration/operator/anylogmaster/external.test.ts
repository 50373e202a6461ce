// An external ledger on the test PostgreSQL: a missing credentials Secret
// is Stalled/SecretNotFound and recovers once the Secret exists; Ready with exactly one master policy row
// in the ledger carrying the advertised address; deletionPolicy Delete keeps a finalizer, and deleting
// the CR removes the policy row before the finalizer goes.
import t from 'tap';
import { kubectl, kubectlOk, testNamespace, waitUntil } from '../../../helpers/cluster.js';
import { adminUrl, createOwnedDatabase, withClient } from '../../../helpers/pg.js';
import { applyObject, condition, describe, ensureCrd, getCr, startOperator, waitReady } from './harness.js';

t.test('external ledger: SecretNotFound, recovery, one policy row, Delete cleanup', async (t) => {
  const ns = await testNamespace(t, 'alm-ext');
  await ensureCrd();
  const admin = new URL(adminUrl());
  const { role, password, database } = await createOwnedDatabase(admin.href, 'alm', t);
  const dbUrl = new URL(admin.href);
  dbUrl.pathname = `/${database}`;

  await startOperator(t, ns);
  const cr = {
    apiVersion: 'anylog.co/v1alpha1',
    kind: 'AnyLogMaster',
    metadata: { name: 'ext', namespace: ns },
    spec: {
      nodeName: 'anylog-master-ext',
      company: 'New Company',
      network: { tcpBind: true, restBind: true },
      ledger: {
        external: {
          host: admin.hostname,
          port: Number(admin.port),
          database,
          sslMode: 'disable',
          credentialsSecretRef: { name: 'ext-ledger' },
        },
      },
      deletionPolicy: 'Delete',
    },
  };
  await applyObject(cr);

  await t.test('a missing Secret stalls with SecretNotFound', async (t) => {
    const stalled = await waitUntil(
      'Stalled/SecretNotFound',
      async () => {
        const obj = await getCr(ns, 'ext');
        return condition(obj, 'Stalled')?.reason === 'SecretNotFound' ? obj : undefined;
      },
      60_000,
      500,
    );
    t.equal(condition(stalled, 'Ready').status, 'False');
    t.equal(condition(stalled, 'Ready').reason, 'SecretNotFound');
    t.equal(condition(stalled, 'LedgerReady').reason, 'SecretNotFound');
    t.equal(stalled.status.phase, 'Failed');
    t.equal(condition(stalled, 'Reconciling'), undefined);
    t.ok(stalled.metadata.finalizers?.includes('anylog.co/cleanup'), 'Delete: finalizer present');
  });

  await t.test('creating the Secret recovers to Ready with one policy row', async (t) => {
    await kubectlOk([
      '-n',
      ns,
      'create',
      'secret',
      'generic',
      'ext-ledger',
      `--from-literal=username=${role}`,
      `--from-literal=password=${password}`,
    ]);
    const ready = await waitReady(ns, 'ext', 180_000).catch(async (err: unknown) => {
      t.comment(await describe(ns, 'ext'));
      throw err;
    });
    t.equal(condition(ready, 'LedgerReady').reason, 'Provisioned');
    t.equal(ready.status.ledger.mode, 'External');
    t.equal(ready.status.ledger.secretName, 'ext-ledger');
    t.notMatch(JSON.stringify(ready.status), new RegExp(password), 'no password in status');
    // The node stores the policy locally first and in the ledger right after: wait (bounded) for the row.
    const rows = await waitUntil(
      'the master policy row',
      async () => {
        const r = await withClient(dbUrl.href, (c) =>
          c.query<{ policy_id: string; policy: unknown }>(
            "SELECT policy_id, policy FROM ledger WHERE policy_type = 'master'",
          ),
        );
        return r.rows.length > 0 ? r : undefined;
      },
      30_000,
      500,
    );
    if (rows.rows.length !== 1) t.comment(JSON.stringify(rows.rows, null, 1));
    t.equal(rows.rows.length, 1, 'exactly one master policy row');
    const row = rows.rows[0];
    const policy = (typeof row?.policy === 'string' ? JSON.parse(row.policy) : row?.policy) as {
      master: { ip: string };
    };
    t.equal(policy.master.ip, ready.status.advertisedAddress, 'the row carries the advertised address');
    t.equal(row?.policy_id, ready.status.policyId);
    const cm = await kubectlOk(['-n', ns, 'get', 'configmap', 'ext-config', '-o', 'json']);
    t.notMatch(cm, new RegExp(password), 'no password in the ConfigMap');
  });

  await t.test('deleting the CR drops the policy, then the finalizer', async (t) => {
    await kubectlOk(['-n', ns, 'delete', 'anylogmaster', 'ext', '--wait=false']);
    await waitUntil(
      'the CR to disappear',
      async () => (await kubectl(['-n', ns, 'get', 'anylogmaster', 'ext'])).code !== 0,
      90_000,
      1000,
    );
    const rows = await withClient(dbUrl.href, (c) =>
      c.query("SELECT policy_id FROM ledger WHERE policy_type = 'master'"),
    );
    t.equal(rows.rows.length, 0, 'the master policy row is gone');
  });
});
