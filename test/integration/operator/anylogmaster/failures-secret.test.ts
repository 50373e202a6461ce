// The Events of a missing credentials Secret (external.test.ts covers the
// conditions): Stalled/SecretNotFound naming the Secret is reported by exactly one Warning Event however
// many passes re-check it, and creating the Secret heals to Ready with LedgerReady and Ready reported
// once each. Uses a role and database of its own on the shared PostgreSQL, which it never stops.
import t from 'tap';
import { kubectlOk, testNamespace, waitUntil, type KubeObject } from '../../../helpers/cluster.js';
import { adminUrl, createOwnedDatabase } from '../../../helpers/pg.js';
import {
  applyObject,
  condition,
  describe,
  ensureCrd,
  getCr,
  startOperator,
  waitCondition,
  waitReady,
} from './harness.js';
import { operatorEvents, summary, withReason } from './operator-events.js';
import { recordTimeline } from './timeline.js';

t.setTimeout(600_000);

const NAME = 'fsec';
const SECRET = 'fsec-credentials';

t.test('missing Secret: one Stalled Event over several passes, recovery reported once', async (t) => {
  const ns = await testNamespace(t, 'alm-fsec');
  await ensureCrd();
  const admin = new URL(adminUrl());
  const { role, password, database } = await createOwnedDatabase(admin.href, 'fsec', t);
  const op = await startOperator(t, ns);
  await applyObject({
    apiVersion: 'anylog.co/v1alpha1',
    kind: 'AnyLogMaster',
    metadata: { name: NAME, namespace: ns },
    spec: {
      nodeName: 'anylog-master-fsec',
      company: 'New Company',
      network: { tcpBind: true, restBind: true },
      ledger: {
        external: {
          host: admin.hostname,
          port: Number(admin.port),
          database,
          sslMode: 'disable',
          credentialsSecretRef: { name: SECRET },
        },
      },
    },
  });
  recordTimeline(t, ns, NAME);
  const stalled: KubeObject = await waitCondition(
    ns,
    NAME,
    'Stalled',
    (c) => c.reason === 'SecretNotFound',
    60_000,
  );
  const uid = stalled.metadata.uid as string;
  t.match(condition(stalled, 'Stalled').message, SECRET, 'the Stalled message names the Secret');
  t.equal(condition(stalled, 'Ready').status, 'False');

  await t.test('re-checking the missing Secret reports the stall once', async (t) => {
    // A stall the user can fix is re-checked every 60 s; metadata changes wake the key sooner.
    const passes = (): Promise<number> =>
      op.metrics.value('controller_runtime_reconcile_total', { controller: 'anylogmaster' });
    for (let i = 1; i <= 3; i++) {
      const before = await passes();
      await kubectlOk([
        '-n',
        ns,
        'annotate',
        'anylogmaster',
        NAME,
        `test.anylog.co/poke=${i}`,
        '--overwrite',
      ]);
      await waitUntil(`pass after poke ${i}`, async () => (await passes()) > before, 30_000, 250);
    }
    const cr = await getCr(ns, NAME);
    t.equal(condition(cr, 'Stalled')?.reason, 'SecretNotFound', 'still stalled');
    t.equal(
      condition(cr, 'Stalled')?.lastTransitionTime,
      condition(stalled, 'Stalled').lastTransitionTime,
      'lastTransitionTime unchanged across passes',
    );
    const events = await operatorEvents(ns, uid);
    const warnings = withReason(events, 'Stalled');
    t.equal(warnings.length, 1, `one Stalled Event (${summary(events)})`);
    t.equal(warnings[0]?.type, 'Warning');
    t.equal(warnings[0]?.emissions, 1, 'emitted once, not once per pass');
    t.match(warnings[0]?.note ?? '', /SecretNotFound/, 'the note carries the stalled reason');
    t.match(warnings[0]?.note ?? '', SECRET, 'and names the Secret');
    t.equal(withReason(events, 'Ready').length, 0, 'no Ready Event while stalled');
  });

  await t.test('creating the Secret heals with LedgerReady and Ready reported once', async (t) => {
    await kubectlOk([
      '-n',
      ns,
      'create',
      'secret',
      'generic',
      SECRET,
      `--from-literal=username=${role}`,
      `--from-literal=password=${password}`,
    ]);
    const createdAt = Date.now();
    const ready = await waitReady(ns, NAME, 180_000).catch(async (err: unknown) => {
      t.comment(await describe(ns, NAME));
      throw err;
    });
    t.comment(`recovery seen after ${Date.now() - createdAt} ms`);
    t.equal(condition(ready, 'Stalled'), undefined, 'Stalled removed');
    const events = await operatorEvents(ns, uid);
    t.same(
      ['Stalled', 'LedgerReady', 'Ready'].map((r) => withReason(events, r).map((e) => e.emissions)),
      [[1], [1], [1]],
      `Stalled, LedgerReady and Ready reported once each (${summary(events)})`,
    );
  });
});
