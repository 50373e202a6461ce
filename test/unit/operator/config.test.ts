import t from 'tap';
import { OperatorSettingsSchema, loadOperatorConfig } from '../../../src/operator/config.js';
import { ConfigError } from '../../../src/common/errors.js';

const base = { POD_NAMESPACE: 'anylog-system' };

t.test('defaults apply to an empty environment', async (t) => {
  const c = loadOperatorConfig(base);
  t.same(c.watchNamespaces, []);
  t.equal(c.leaderElection, true);
  t.equal(c.maxConcurrentReconciles, 4);
  t.equal(c.resyncPeriodMs, 600_000);
  t.equal(c.metricsBindAddress, ':8080');
  t.equal(c.healthProbeBindAddress, ':8081');
  t.equal(c.logLevel, 'info');
  t.equal(c.ledgerAddressing, 'service');
  t.equal(c.cleanupDeadlineMs, 600_000);
  t.equal(c.shutdownTimeoutMs, 20_000);
  t.same(c.operatorPodLabels, {
    'app.kubernetes.io/name': 'anylog-operator',
    'app.kubernetes.io/component': 'operator',
  });
  t.ok(Object.isFrozen(c));
  t.ok(Object.isFrozen(c.watchNamespaces));
});

t.test('values are converted from strings; empty strings count as unset', async (t) => {
  const c = loadOperatorConfig({
    WATCH_NAMESPACES: ' a, b ,a,',
    LEADER_ELECTION: 'false',
    MAX_CONCURRENT_RECONCILES: '8',
    RESYNC_PERIOD_SECONDS: '60',
    LOG_LEVEL: 'debug',
    LEDGER_ADDRESSING: 'pod-ip',
    METRICS_BIND_ADDRESS: '127.0.0.1:0',
    HEALTH_PROBE_BIND_ADDRESS: '0',
    SHUTDOWN_TIMEOUT_SECONDS: '',
  });
  t.same(c.watchNamespaces, ['a', 'b']);
  t.equal(c.leaderElection, false);
  t.equal(c.maxConcurrentReconciles, 8);
  t.equal(c.resyncPeriodMs, 60_000);
  t.equal(c.logLevel, 'debug');
  t.equal(c.ledgerAddressing, 'pod-ip');
  t.equal(c.metricsBindAddress, '127.0.0.1:0');
  t.equal(c.healthProbeBindAddress, '0');
  t.equal(c.shutdownTimeoutMs, 20_000);
});

t.test('every problem is reported in one ConfigError', async (t) => {
  const err = t.throws(() =>
    loadOperatorConfig({
      ...base,
      MAX_CONCURRENT_RECONCILES: '0',
      LOG_LEVEL: 'loud',
      LEDGER_ADDRESSING: 'dns',
      LEADER_ELECTION: 'maybe',
    }),
  ) as ConfigError;
  t.ok(err instanceof ConfigError);
  t.equal(err.code, 'ERR_CONFIG_INVALID');
  const text = err.problems.join('\n');
  for (const name of ['MAX_CONCURRENT_RECONCILES', 'LOG_LEVEL', 'LEDGER_ADDRESSING', 'LEADER_ELECTION']) {
    t.match(text, name, `${name} reported`);
  }
});

t.test('cross-field rules: namespace names and the Lease namespace', async (t) => {
  const err = t.throws(() => loadOperatorConfig({ WATCH_NAMESPACES: 'ok,Not_OK' })) as ConfigError;
  t.match(err.problems.join('\n'), /Not_OK/);
  t.match(err.problems.join('\n'), /POD_NAMESPACE/);
  t.doesNotThrow(() => loadOperatorConfig({ LEADER_ELECTION: 'false' }), 'no Lease namespace needed');
});

t.test('OPERATOR_POD_LABELS: k=v pairs, or a ConfigError naming it', async (t) => {
  const c = loadOperatorConfig({ ...base, OPERATOR_POD_LABELS: 'a.io/x=1,b=' });
  t.same(c.operatorPodLabels, { 'a.io/x': '1', b: '' });
  const err = t.throws(() =>
    loadOperatorConfig({ ...base, OPERATOR_POD_LABELS: 'no-equals' }),
  ) as ConfigError;
  t.match(err.problems.join('\n'), /OPERATOR_POD_LABELS/);
});

t.test('the exported schema lists every setting with its default', async (t) => {
  const props = OperatorSettingsSchema.properties as Record<string, { default?: unknown }>;
  t.equal(props['MAX_CONCURRENT_RECONCILES']?.default, 4);
  t.equal(props['LEADER_ELECTION']?.default, true);
  t.equal(Object.keys(props).length, 15);
});
