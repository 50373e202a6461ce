// resolveDeps (deps.ts): the defaults a controller gets when the composition root leaves a dependency out
// (operator version, node image, HTTP node client, Math.random) and the fresh per-controller state.
import t from 'tap';
import { PUBLISHED_IMAGE_REPOSITORY } from '../../../../src/api/defaults.js';
import { silentLogger } from '../../../../src/common/logger.js';
import {
  DEFAULT_OPERATOR_VERSION,
  FIELD_MANAGER,
  resolveDeps,
  type AnyLogMasterDeps,
  type NodeClientFactory,
} from '../../../../src/operator/anylogmaster/deps.js';
import { Metrics } from '../../../../src/operator/framework/metrics.js';
import { FakeClock, UTC_NOON } from '../../../helpers/fake-clock.js';
import { TEST_SETTINGS } from './fixtures/pass-env.js';

const metrics = (): Metrics => new Metrics({ prefix: 'anylog_operator_test', defaultMetrics: false });
const deps = (over: Partial<AnyLogMasterDeps> = {}): AnyLogMasterDeps => ({
  config: TEST_SETTINGS,
  metrics: metrics(),
  ...over,
});

t.test('the constants other modules read', async (t) => {
  t.equal(DEFAULT_OPERATOR_VERSION, '0.2.0');
  t.equal(FIELD_MANAGER, 'anylog-operator');
});

t.test('given values are kept', async (t) => {
  const factory: NodeClientFactory = () => {
    throw new Error('unused');
  };
  const random = (): number => 0.25;
  const config = { ...TEST_SETTINGS, ledgerAddressing: 'pod-ip' as const };
  const d = resolveDeps(deps({ config, operatorVersion: '1.2.3', nodeClient: factory, random }));
  t.equal(d.settings, config);
  t.equal(d.operatorVersion, '1.2.3');
  t.equal(d.nodeImage, 'example.com/anylog-node:1.0.0');
  t.equal(d.nodeClient, factory);
  t.equal(d.random, random);
});

t.test('left-out values get their defaults', async (t) => {
  const d = resolveDeps(deps());
  t.equal(d.operatorVersion, DEFAULT_OPERATOR_VERSION);
  t.equal(d.random, Math.random);
  t.equal(d.reconcilingSince.size, 0);
  t.not(resolveDeps(deps()).reconcilingSince, d.reconcilingSince, 'each controller has its own hints');
});

t.test('an empty node image setting means the published image of this operator version', async (t) => {
  const config = { ...TEST_SETTINGS, defaultNodeImage: '' };
  t.equal(resolveDeps(deps({ config })).nodeImage, `${PUBLISHED_IMAGE_REPOSITORY}:0.2.0`);
  t.equal(
    resolveDeps(deps({ config, operatorVersion: '0.9.1' })).nodeImage,
    'ghcr.io/anylog-operator/anylog-operator:0.9.1',
  );
});

t.test('the default node client speaks HTTP, or HTTPS when given TLS', async (t) => {
  const d = resolveDeps(deps());
  t.equal(d.nodeClient('127.0.0.1', 32049, silentLogger()).url, 'http://127.0.0.1:32049/');
  const tls = { ca: 'ca', cert: 'cert', key: 'key', servername: 'minimal-0.minimal-headless' };
  t.equal(d.nodeClient('127.0.0.1', 32050, silentLogger(), tls).url, 'https://127.0.0.1:32050/');
});

t.test('the domain metrics are registered on the given Metrics and read the given clock', async (t) => {
  const m = metrics();
  const clock = new FakeClock(UTC_NOON);
  const d = resolveDeps(deps({ metrics: m, clock }));
  d.domainMetrics.ledgerReady.set({ namespace: 'anylog', name: 'm', mode: 'Embedded' }, 1);
  t.equal(await m.value('anylog_ledger_ready', { name: 'm' }), 1);
  d.domainMetrics.probed('anylog', 'm');
  await clock.advance(7_000);
  t.equal(await m.value('anylog_node_probe_age_seconds', { namespace: 'anylog', name: 'm' }), 7);
});

t.test('without a clock the probe age is measured on the wall clock', async (t) => {
  const m = metrics();
  const d = resolveDeps(deps({ metrics: m }));
  d.domainMetrics.probed('anylog', 'm');
  const age = await m.value('anylog_node_probe_age_seconds', { namespace: 'anylog', name: 'm' });
  t.ok(age >= 0 && age < 60, `age ${String(age)} s is measured from now`);
});
