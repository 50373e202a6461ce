// PostgreSQL stopped: an AnyLogMaster on an external ledger in a PRIVATE
// PostgreSQL (the shared one serves other suites) reaches Ready; stopping the server turns LedgerReady
// False/LedgerUnreachable and Ready False (degraded: no Reconciling, no Stalled) with exactly one
// Warning Event over several polls; starting it again heals to Ready with one more LedgerReady and
// Ready emission each, the same single policy row and the same policy id.
import t from 'tap';
import { kubectlOk, testNamespace, type KubeObject } from '../../../helpers/cluster.js';
import { withClient } from '../../../helpers/pg.js';
import { startPrivatePostgres } from '../../../helpers/private-pg.js';
import {
  applyObject,
  condition,
  describe,
  ensureCrd,
  getCr,
  startOperator,
  waitPasses,
  waitCondition,
  waitReady,
} from './harness.js';
import { operatorEvents, summary, withReason } from './operator-events.js';
import { recordTimeline } from './timeline.js';

t.setTimeout(600_000);

const NAME = 'fpg';

t.test('PostgreSQL stopped: LedgerUnreachable, one Event, heals when it starts', async (t) => {
  const ns = await testNamespace(t, 'alm-fpg');
  await ensureCrd();
  const db = await startPrivatePostgres(t, 'almfpg');
  const op = await startOperator(t, ns);
  await kubectlOk([
    '-n',
    ns,
    'create',
    'secret',
    'generic',
    `${NAME}-ledger`,
    `--from-literal=username=${db.role}`,
    `--from-literal=password=${db.password}`,
  ]);
  await applyObject({
    apiVersion: 'anylog.co/v1alpha1',
    kind: 'AnyLogMaster',
    metadata: { name: NAME, namespace: ns },
    spec: {
      nodeName: 'anylog-master-fpg',
      company: 'New Company',
      network: { tcpBind: true, restBind: true },
      ledger: {
        external: {
          host: db.host,
          port: db.port,
          database: db.database,
          sslMode: 'disable',
          credentialsSecretRef: { name: `${NAME}-ledger` },
        },
      },
    },
  });
  recordTimeline(t, ns, NAME);
  const ready = await waitReady(ns, NAME, 180_000).catch(async (err: unknown) => {
    t.comment(await describe(ns, NAME));
    throw err;
  });
  const uid = ready.metadata.uid as string;
  const policyId = ready.status.policyId as string;
  const initial = await operatorEvents(ns, uid);
  t.same(
    ['LedgerReady', 'Ready'].map((r) => withReason(initial, r).map((e) => e.emissions)),
    [[1], [1]],
    `LedgerReady and Ready each reported once on the way up (${summary(initial)})`,
  );
  t.equal(withReason(initial, 'LedgerUnreachable').length, 0, 'no LedgerUnreachable yet');

  await t.test('stopping PostgreSQL degrades the CR with one Event', async (t) => {
    await db.stop();
    const stoppedAt = Date.now();
    // Ready objects are re-checked every 30 s ± 10 %: the outage shows within one refresh.
    const degraded: KubeObject = await waitCondition(
      ns,
      NAME,
      'LedgerReady',
      (c) => c.status === 'False',
      90_000,
    );
    t.comment(`degradation seen after ${Date.now() - stoppedAt} ms`);
    const ledger = condition(degraded, 'LedgerReady');
    t.equal(ledger.reason, 'LedgerUnreachable', `LedgerReady reason (${ledger.message})`);
    t.match(ledger.message, db.database, 'the message names the database');
    t.notMatch(JSON.stringify(degraded.status), db.password, 'no password in status');
    const readyCond = condition(degraded, 'Ready');
    t.equal(readyCond.status, 'False', 'Ready=False');
    t.equal(readyCond.reason, 'WaitingForLedger', 'Ready mirrors the ledger');
    t.equal(condition(degraded, 'Reconciling'), undefined, 'runtime degradation sets no Reconciling');
    t.equal(condition(degraded, 'Stalled'), undefined, 'an unreachable ledger is not a stall');
    t.equal(degraded.status.phase, 'Degraded');
    t.equal(degraded.status.observedGeneration, degraded.metadata.generation);

    // Several more passes (5 s cadence while degraded) must not report the transition again.
    await waitPasses(op, 3, 90_000);
    const later = await getCr(ns, NAME);
    t.equal(condition(later, 'LedgerReady').status, 'False', 'still LedgerReady=False');
    t.equal(condition(later, 'LedgerReady').reason, 'LedgerUnreachable');
    t.equal(
      condition(later, 'LedgerReady').lastTransitionTime,
      ledger.lastTransitionTime,
      'lastTransitionTime unchanged across polls',
    );
    t.equal(condition(later, 'Ready').status, 'False', 'still Ready=False');
    const events = await operatorEvents(ns, uid);
    const warnings = withReason(events, 'LedgerUnreachable');
    t.equal(warnings.length, 1, `one LedgerUnreachable Event (${summary(events)})`);
    t.equal(warnings[0]?.type, 'Warning');
    t.equal(warnings[0]?.emissions, 1, 'emitted once, not once per poll');
    t.match(warnings[0]?.note ?? '', db.database, 'the note names the database');
    t.notMatch(warnings[0]?.note ?? '', db.password, 'no password in the note');
    t.same(
      [withReason(events, 'LedgerReady')[0]?.emissions, withReason(events, 'Ready')[0]?.emissions],
      [1, 1],
      'no recovery reported while down',
    );
  });

  await t.test('starting PostgreSQL heals to Ready with one recovery Event', async (t) => {
    await db.start();
    const startedAt = Date.now();
    const healed = await waitReady(ns, NAME, 120_000).catch(async (err: unknown) => {
      t.comment(await describe(ns, NAME));
      throw err;
    });
    t.comment(`recovery seen after ${Date.now() - startedAt} ms`);
    t.equal(condition(healed, 'LedgerReady').reason, 'Provisioned');
    t.equal(healed.status.phase, 'Running');
    t.equal(healed.status.policyId, policyId, 'the same policy id');
    const check = async (): Promise<void> => {
      const events = await operatorEvents(ns, uid);
      const one = (reason: string): number | undefined => {
        const found = withReason(events, reason);
        return found.length === 1 ? found[0]?.emissions : -found.length;
      };
      t.equal(one('LedgerReady'), 2, `LedgerReady reported once more (${summary(events)})`);
      t.equal(one('Ready'), 2, 'Ready reported once more');
      t.equal(one('LedgerUnreachable'), 1, 'the outage still reported once');
    };
    await check();
    // A steady-state refresh later (30 s cadence) nothing is reported again.
    await waitPasses(op, 1, 60_000);
    t.equal(condition(await getCr(ns, NAME), 'Ready').status, 'True', 'still Ready');
    await check();
    const rows = await withClient(db.url, (c) =>
      c.query<{ policy_id: string }>("SELECT policy_id FROM ledger WHERE policy_type = 'master'"),
    );
    t.same(
      rows.rows.map((r) => r.policy_id),
      [policyId],
      'exactly one master policy row, the same one',
    );
  });
});
