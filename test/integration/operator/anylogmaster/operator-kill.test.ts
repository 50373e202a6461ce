// The operator (`anylog-operator run`, a child process under the chart's ServiceAccount) SIGKILLed 20
// times in the middle of reconciling an embedded AnyLogMaster against the real control plane, and
// started again after each kill. Every start reconciles the CR (the first list after start-up); each kill
// comes at a seeded random delay after the new process logged `workers started`, and every fifth round
// first changes spec.location.city, so kills also cut the rollout and the master-policy replacement.
// Afterwards one last operator brings the CR to Ready for its latest generation with exactly one master
// policy in the ledger: the one the status names, with the latest city. The delays and counts are printed.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { createHttpNodeClient } from '../../../../src/nodeclient/index.js';
import { tsxArgs } from '../../../controlplane/src/paths.js';
import { getJson, testNamespace } from '../../../helpers/cluster.js';
import { mulberry32 } from '../../../helpers/fuzz-inputs.js';
import { repoRoot } from '../../../helpers/vectors.js';
import {
  applyObject,
  describe,
  ensureCrd,
  getCr,
  operatorKubeIdentity,
  sample,
  waitReady,
} from './harness.js';

t.setTimeout(600_000);

const KILLS = 20;
const SEED = 20261206;
/** Kill delays are drawn from [0, MAX_DELAY_MS) after `workers started`. */
const MAX_DELAY_MS = 2_500;
const NODE_NAME = 'anylog-master';
const COMPANY = 'New Company';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface OperatorChild {
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
  /** Resolves when the process has logged `workers started`; rejects if it exits first. */
  readonly working: Promise<void>;
  output(): string;
}

/**
 * Where a killed process was, from its debug log: no API write yet, writes but none to a status
 * subresource (cut inside a pass), or after a status write (a pass had finished its status update).
 */
function phaseOf(output: string): 'no-write' | 'mid-pass' | 'after-status' {
  const writes = output
    .split('\n')
    .filter((l) => l.includes('"api write"'))
    .map((l) => {
      try {
        return (JSON.parse(l) as { path?: string }).path ?? '';
      } catch {
        return ''; // the last line, cut by the kill
      }
    });
  if (writes.length === 0) return 'no-write';
  return writes.some((p) => p.endsWith('/status')) ? 'after-status' : 'mid-pass';
}

async function spawnOperator(t: Test, ns: string): Promise<OperatorChild> {
  const identity = await operatorKubeIdentity();
  let out = '';
  const child = spawn(
    process.execPath,
    tsxArgs(join(repoRoot, 'src', 'bin', 'anylog-operator.ts')).concat(['run']),
    {
      env: {
        PATH: process.env['PATH'] ?? '',
        KUBECONFIG: identity.kubeconfig,
        WATCH_NAMESPACES: ns,
        LEADER_ELECTION: 'false',
        METRICS_BIND_ADDRESS: '0',
        HEALTH_PROBE_BIND_ADDRESS: '0',
        DEFAULT_NODE_IMAGE: 'anylog-node',
        LEDGER_ADDRESSING: 'pod-ip',
        LOG_LEVEL: 'debug',
        SHUTDOWN_TIMEOUT_SECONDS: '5',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const working = new Promise<void>((resolve, reject) => {
    const onData = (c: Buffer): void => {
      out += c.toString();
      if (out.includes('"workers started"')) resolve();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then(() => reject(new Error(`the operator exited before its workers started:\n${out}`)));
  });
  working.catch(() => undefined);
  t.teardown(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  });
  return { child, exited, working, output: () => out };
}

/** The master policies named NODE_NAME/COMPANY as the node at the CR's pod IP reports them. */
async function masterPolicies(ns: string): Promise<{ id: string; city: unknown }[]> {
  const pod = await getJson(['-n', ns, 'pod', 'master-0']);
  const client = createHttpNodeClient({ host: pod.status.podIP as string, port: 32049 });
  const found = await client.queryMasterPolicies({ nodeName: NODE_NAME, company: COMPANY });
  return found
    .filter((p) => p.name === NODE_NAME && p.company === COMPANY)
    .map((p) => ({ id: p.id, city: p.attributes['city'] }));
}

t.test('20 operator kills mid-reconcile: Ready with one master policy', async (t) => {
  const ns = await testNamespace(t, 'alm-kill');
  await ensureCrd();
  const rand = mulberry32(SEED);
  const base = sample('anylogmaster-embedded.yaml', 'master', ns);
  const withCity = (city: string): Record<string, unknown> => ({
    ...base,
    spec: { ...(base['spec'] as Record<string, unknown>), location: { city } },
  });
  let city = 'city-0';
  await applyObject(withCity(city));
  const delays: number[] = [];
  const phases = new Map<string, number>();
  const changes: number[] = [];
  const startedAt = Date.now();
  for (let round = 1; round <= KILLS; round++) {
    if (round % 5 === 0) {
      city = `city-${round}`;
      await applyObject(withCity(city));
      changes.push(round);
    }
    const op = await spawnOperator(t, ns);
    await op.working;
    const delay = Math.floor(rand() * MAX_DELAY_MS);
    delays.push(delay);
    await sleep(delay);
    t.equal(op.child.exitCode, null, `round ${round}: the operator was still running when killed`);
    op.child.kill('SIGKILL');
    await op.exited;
    const phase = phaseOf(op.output());
    phases.set(phase, (phases.get(phase) ?? 0) + 1);
  }
  const killsTook = Date.now() - startedAt;
  t.comment(`kill delays after "workers started" (ms, seed ${SEED}): ${delays.join(', ')}`);
  t.comment(`where the kills landed: ${[...phases.entries()].map(([k, n]) => `${k} ${n}`).join(', ')}`);
  t.comment(
    `spec.location.city changed before rounds ${changes.join(', ')}; ${KILLS} kills in ${killsTook} ms`,
  );

  const last = await spawnOperator(t, ns);
  await last.working;
  const convergeFrom = Date.now();
  let cr;
  try {
    cr = await waitReady(ns, 'master', 180_000);
  } catch (err) {
    t.comment(await describe(ns, 'master'));
    t.comment(last.output().split('\n').slice(-40).join('\n'));
    throw err;
  }
  t.comment(`Ready ${Date.now() - convergeFrom} ms after the last start`);
  const policies = await masterPolicies(ns);
  t.equal(policies.length, 1, `exactly one master policy (${JSON.stringify(policies)})`);
  t.equal(policies[0]?.id, cr.status.policyId, 'the status names the policy in the ledger');
  t.equal(policies[0]?.city, city, 'the policy carries the latest city');
  const current = await getCr(ns, 'master');
  t.equal(current.status.observedGeneration, current.metadata.generation, 'the latest generation observed');
  t.comment(
    `${KILLS} kills; generation ${String(current.metadata.generation)}; ` +
      `${policies.length} master policy in the ledger`,
  );
});
