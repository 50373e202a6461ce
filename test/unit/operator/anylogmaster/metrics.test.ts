// The anylog_* domain metrics (metrics.ts) read back from a Metrics registry: names, types, label names
// and values, the probe age computed at scrape time, the backup series, forget/backupForget, isKnownProcess.
import t from 'tap';
import { PROCESS_ROW_NAMES } from '../../../../src/contract/processes.js';
import { Metrics } from '../../../../src/operator/framework/metrics.js';
import { createDomainMetrics, isKnownProcess } from '../../../../src/operator/anylogmaster/metrics.js';

const START = Date.UTC(2026, 10, 26, 12, 0, 0);

function setup() {
  const metrics = new Metrics({ prefix: 'anylog_operator_test', defaultMetrics: false });
  const clock = { now: START };
  const domain = createDomainMetrics(metrics, () => clock.now);
  return { metrics, clock, domain };
}

/** The exposition lines of one metric: `{labels} value` by series, plus its TYPE. */
async function scrape(
  metrics: Metrics,
  name: string,
): Promise<{ type: string | undefined; series: string[] }> {
  const lines = (await metrics.text()).split('\n');
  const type = lines.find((l) => l.startsWith(`# TYPE ${name} `))?.slice(`# TYPE ${name} `.length);
  const series = lines.filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
  return { type, series };
}

t.test('isKnownProcess accepts exactly the node row names', async (t) => {
  for (const name of PROCESS_ROW_NAMES) t.equal(isKnownProcess(name), true, name);
  t.equal(isKnownProcess('TCP'), true);
  t.equal(isKnownProcess('Blockchain Sync'), true);
  for (const name of ['tcp', 'Rest', 'Unknown', '', 'TCP ']) t.equal(isKnownProcess(name), false, name);
});

t.test('anylog_node_process_up: a gauge by namespace, name and process', async (t) => {
  const { metrics, domain } = setup();
  domain.processUp.set({ namespace: 'anylog', name: 'master', process: 'TCP' }, 1);
  domain.processUp.set({ namespace: 'anylog', name: 'master', process: 'REST' }, 0);
  const { type, series } = await scrape(metrics, 'anylog_node_process_up');
  t.equal(type, 'gauge');
  t.same(series, [
    'anylog_node_process_up{namespace="anylog",name="master",process="TCP"} 1',
    'anylog_node_process_up{namespace="anylog",name="master",process="REST"} 0',
  ]);
  t.throws(() => {
    domain.processUp.set({ namespace: 'anylog', name: 'master', mode: 'x' }, 1);
  }, 'no other label');
});

t.test('anylog_ledger_ready: a gauge by namespace, name and mode', async (t) => {
  const { metrics, domain } = setup();
  domain.ledgerReady.set({ namespace: 'anylog', name: 'master', mode: 'External' }, 1);
  const { type, series } = await scrape(metrics, 'anylog_ledger_ready');
  t.equal(type, 'gauge');
  t.same(series, ['anylog_ledger_ready{namespace="anylog",name="master",mode="External"} 1']);
  t.throws(() => {
    domain.ledgerReady.set({ namespace: 'anylog', name: 'master', process: 'TCP' }, 1);
  });
});

t.test('anylog_policy_operations_total: a counter by operation and result', async (t) => {
  const { metrics, domain } = setup();
  domain.policyOperations.inc({ operation: 'insert', result: 'success' });
  domain.policyOperations.inc({ operation: 'insert', result: 'success' });
  domain.policyOperations.inc({ operation: 'drop', result: 'error' }, 3);
  const { type } = await scrape(metrics, 'anylog_policy_operations_total');
  t.equal(type, 'counter');
  t.equal(
    await metrics.value('anylog_policy_operations_total', { operation: 'insert', result: 'success' }),
    2,
  );
  t.equal(await metrics.value('anylog_policy_operations_total', { operation: 'drop', result: 'error' }), 3);
  t.throws(() => {
    domain.policyOperations.inc({ namespace: 'anylog', operation: 'insert', result: 'success' });
  });
});

t.test('anylog_node_probe_age_seconds: seconds since the last probe, computed at scrape time', async (t) => {
  const { metrics, clock, domain } = setup();
  t.same((await scrape(metrics, 'anylog_node_probe_age_seconds')).series, [], 'nothing before a probe');
  domain.probed('anylog', 'master');
  clock.now += 1_000;
  domain.probed('team-a', 'other');
  clock.now += 2_500;
  const { type, series } = await scrape(metrics, 'anylog_node_probe_age_seconds');
  t.equal(type, 'gauge');
  t.same(series, [
    'anylog_node_probe_age_seconds{namespace="anylog",name="master"} 3.5',
    'anylog_node_probe_age_seconds{namespace="team-a",name="other"} 2.5',
  ]);
  domain.probed('anylog', 'master');
  t.equal(await metrics.value('anylog_node_probe_age_seconds', { namespace: 'anylog', name: 'master' }), 0);
  clock.now -= 10_000;
  t.equal(
    await metrics.value('anylog_node_probe_age_seconds', { namespace: 'team-a', name: 'other' }),
    0,
    'a clock that went back never gives a negative age',
  );
});

t.test('a forgotten object gets no probe age series', async (t) => {
  const { metrics, clock, domain } = setup();
  domain.probed('anylog', 'master');
  domain.probed('anylog', 'kept');
  domain.forget('anylog', 'master');
  clock.now += 4_000;
  t.same((await scrape(metrics, 'anylog_node_probe_age_seconds')).series, [
    'anylog_node_probe_age_seconds{namespace="anylog",name="kept"} 4',
  ]);
});

t.test('forget drops every series of the object once scraped, and only of that object', async (t) => {
  const { metrics, clock, domain } = setup();
  for (const name of ['master', 'kept']) {
    domain.probed('anylog', name);
    domain.processUp.set({ namespace: 'anylog', name, process: 'TCP' }, 1);
    domain.ledgerReady.set({ namespace: 'anylog', name, mode: 'Managed' }, 1);
  }
  clock.now += 2_500;
  t.equal((await scrape(metrics, 'anylog_node_probe_age_seconds')).series.length, 2, 'scraped once');
  domain.forget('anylog', 'master');
  clock.now += 1_500;
  t.same((await scrape(metrics, 'anylog_node_probe_age_seconds')).series, [
    'anylog_node_probe_age_seconds{namespace="anylog",name="kept"} 4',
  ]);
  t.same((await scrape(metrics, 'anylog_node_process_up')).series, [
    'anylog_node_process_up{namespace="anylog",name="kept",process="TCP"} 1',
  ]);
  t.same((await scrape(metrics, 'anylog_ledger_ready')).series, [
    'anylog_ledger_ready{namespace="anylog",name="kept",mode="Managed"} 1',
  ]);
});

t.test('backupObserved: last success as Unix seconds, healthy as 1 or 0', async (t) => {
  const { metrics, domain } = setup();
  domain.backupObserved('anylog', 'master', '2026-11-26T11:00:00Z', true);
  const last = await scrape(metrics, 'anylog_backup_last_success_timestamp_seconds');
  t.equal(last.type, 'gauge');
  t.same(last.series, [
    `anylog_backup_last_success_timestamp_seconds{namespace="anylog",name="master"} ${String((START - 3_600_000) / 1000)}`,
  ]);
  const healthy = await scrape(metrics, 'anylog_backup_healthy');
  t.equal(healthy.type, 'gauge');
  t.same(healthy.series, ['anylog_backup_healthy{namespace="anylog",name="master"} 1']);

  domain.backupObserved('anylog', 'master', '2026-11-26T11:30:00.500Z', false);
  t.equal(
    await metrics.value('anylog_backup_last_success_timestamp_seconds', {
      namespace: 'anylog',
      name: 'master',
    }),
    (START - 1_799_500) / 1000,
  );
  t.equal(await metrics.value('anylog_backup_healthy', { namespace: 'anylog', name: 'master' }), 0);
});

t.test('backupObserved without a readable last success sets only the healthy series', async (t) => {
  for (const lastSuccess of [undefined, 'not a time']) {
    const { metrics, domain } = setup();
    domain.backupObserved('anylog', 'master', lastSuccess, false);
    t.same(
      (await scrape(metrics, 'anylog_backup_last_success_timestamp_seconds')).series,
      [],
      String(lastSuccess),
    );
    t.same((await scrape(metrics, 'anylog_backup_healthy')).series, [
      'anylog_backup_healthy{namespace="anylog",name="master"} 0',
    ]);
  }
});

t.test('an unreadable last success keeps the previous value', async (t) => {
  const { metrics, domain } = setup();
  domain.backupObserved('anylog', 'master', '2026-11-26T11:00:00Z', true);
  domain.backupObserved('anylog', 'master', undefined, false);
  t.equal(
    await metrics.value('anylog_backup_last_success_timestamp_seconds', {
      namespace: 'anylog',
      name: 'master',
    }),
    (START - 3_600_000) / 1000,
  );
});

t.test('forget and backupForget drop the backup series of that object only', async (t) => {
  for (const drop of ['forget', 'backupForget'] as const) {
    const { metrics, domain } = setup();
    domain.backupObserved('anylog', 'master', '2026-11-26T11:00:00Z', true);
    domain.backupObserved('anylog', 'other', '2026-11-26T11:00:00Z', false);
    domain[drop]('anylog', 'master');
    t.same(
      (await scrape(metrics, 'anylog_backup_last_success_timestamp_seconds')).series,
      [
        `anylog_backup_last_success_timestamp_seconds{namespace="anylog",name="other"} ${String((START - 3_600_000) / 1000)}`,
      ],
      drop,
    );
    t.same(
      (await scrape(metrics, 'anylog_backup_healthy')).series,
      ['anylog_backup_healthy{namespace="anylog",name="other"} 0'],
      drop,
    );
  }
});

t.test('backupForget keeps the probe age', async (t) => {
  const { metrics, clock, domain } = setup();
  domain.probed('anylog', 'master');
  domain.backupForget('anylog', 'master');
  clock.now += 1_000;
  t.same((await scrape(metrics, 'anylog_node_probe_age_seconds')).series, [
    'anylog_node_probe_age_seconds{namespace="anylog",name="master"} 1',
  ]);
});
