// npm run bench:operator — measures the operator against the real local control plane with real
// anylog-node pods and prints one JSON document (issue 4, acceptance 9): time for N AnyLogMasters
// (embedded ledger) to all reach Ready, reconciles/s during the ramp, API requests (and writes) per
// reconcile when idle, operator RSS at 0 and N objects, and the time from a spec change to
// status.observedGeneration catching up. The operator is the built `anylog-operator run` in its own
// process (LEADER_ELECTION=false, so Lease renewals do not count as writes); counters come from its
// /metrics. Run through with-cluster (the npm script does); BENCH_OBJECTS sets N (default 50).
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureCrd, sample } from '../../test/integration/operator/anylogmaster/harness.js';
import { clusterEnv, getJson, kubectlOk } from '../../test/helpers/cluster.js';
import { nodeBin, repoRoot, rssMb } from '../lib/proc.js';

const N = Number(process.env['BENCH_OBJECTS'] ?? 50);
const NS = `bench-${Date.now().toString(36)}`;
const METRICS = '127.0.0.1:18480';
const HEALTH = '127.0.0.1:18481';
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Cr {
  metadata: { name: string; generation: number };
  status?: { observedGeneration?: number; conditions?: { type: string; status: string }[] };
}

function isReady(cr: Cr): boolean {
  const ready = cr.status?.conditions?.find((c) => c.type === 'Ready');
  return ready?.status === 'True' && cr.status?.observedGeneration === cr.metadata.generation;
}

/** Sums of the counters we need, read from the operator's Prometheus endpoint. */
async function scrape(): Promise<{ reconciles: number; requests: number; writes: number }> {
  const text = await (await fetch(`http://${METRICS}/metrics`)).text();
  let reconciles = 0;
  let requests = 0;
  let writes = 0;
  for (const line of text.split('\n')) {
    const m = /^(\w+)\{([^}]*)\} ([0-9.e+]+)$/.exec(line);
    if (m === null) continue;
    const [, name, labels, value] = m;
    if (name === 'controller_runtime_reconcile_total') reconciles += Number(value);
    if (name === 'rest_client_requests_total') {
      requests += Number(value);
      const method = /method="(\w+)"/.exec(labels ?? '')?.[1] ?? '';
      if (WRITES.has(method)) writes += Number(value);
    }
  }
  return { reconciles, requests, writes };
}

async function main(): Promise<void> {
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: repoRoot, stdio: 'inherit' });
  const env = clusterEnv();
  const report: Record<string, unknown> = { objects: N };
  await ensureCrd();
  await kubectlOk(['create', 'namespace', NS]);
  const op = spawn(nodeBin, [join(repoRoot, 'bin', 'anylog-operator.js'), 'run'], {
    env: {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      KUBECONFIG: env.kubeconfig,
      WATCH_NAMESPACES: NS,
      LEADER_ELECTION: 'false',
      LEDGER_ADDRESSING: 'pod-ip',
      DEFAULT_NODE_IMAGE: 'anylog-node',
      DEFAULT_LEDGER_IMAGE: 'postgres:17',
      METRICS_BIND_ADDRESS: METRICS,
      HEALTH_PROBE_BIND_ADDRESS: HEALTH,
      POD_NAME: 'bench-operator',
      POD_NAMESPACE: NS,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    for (let i = 0; i < 100; i++) {
      try {
        if ((await fetch(`http://${HEALTH}/readyz`)).status === 200) break;
      } catch {
        // not listening yet
      }
      await sleep(200);
    }
    await sleep(5000);
    report['operatorRssMbAt0'] = rssMb(op.pid);

    const docs = Array.from({ length: N }, (_, i) =>
      JSON.stringify(sample('anylogmaster-embedded.yaml', `m${i}`, NS)),
    );
    const s0 = await scrape();
    const t0 = performance.now();
    await kubectlOk(['apply', '--server-side', '--field-manager=bench', '-f', '-'], {
      input: docs.join('\n'),
    });
    let ready = 0;
    const deadline = Date.now() + 15 * 60_000;
    while (Date.now() < deadline) {
      const items = ((await getJson(['-n', NS, 'anylogmasters'])) as { items: Cr[] }).items;
      ready = items.filter(isReady).length;
      if (ready >= N) break;
      await sleep(1000);
    }
    const rampSeconds = (performance.now() - t0) / 1000;
    const s1 = await scrape();
    report['allReady'] = { ready, seconds: Math.round(rampSeconds * 10) / 10 };
    report['reconcilesPerSecondDuringRamp'] =
      Math.round(((s1.reconciles - s0.reconciles) / rampSeconds) * 100) / 100;

    await sleep(10_000);
    const idleWindowS = 60;
    const a = await scrape();
    await sleep(idleWindowS * 1000);
    const b = await scrape();
    const rec = b.reconciles - a.reconciles;
    report['idle'] = {
      windowSeconds: idleWindowS,
      reconciles: rec,
      apiRequests: b.requests - a.requests,
      writeRequests: b.writes - a.writes,
      apiRequestsPerReconcile: rec === 0 ? null : Math.round(((b.requests - a.requests) / rec) * 100) / 100,
    };
    report['operatorRssMbAtN'] = rssMb(op.pid);

    // A spec change that needs no pod roll: observedGeneration must follow quickly.
    const before = (await getJson(['-n', NS, 'anylogmaster', 'm0'])) as Cr;
    const t1 = performance.now();
    await kubectlOk([
      '-n',
      NS,
      'patch',
      'anylogmaster',
      'm0',
      '--type=merge',
      '-p',
      '{"spec":{"progressDeadlineSeconds":900}}',
    ]);
    let observedMs = NaN;
    while (performance.now() - t1 < 120_000) {
      const cr = (await getJson(['-n', NS, 'anylogmaster', 'm0'])) as Cr;
      if (
        cr.metadata.generation > before.metadata.generation &&
        cr.status?.observedGeneration === cr.metadata.generation
      ) {
        observedMs = Math.round(performance.now() - t1);
        break;
      }
      await sleep(100);
    }
    report['specChangeToObservedGenerationMs'] = observedMs;
  } finally {
    op.kill('SIGTERM');
    await kubectlOk(['delete', 'namespace', NS, '--wait=false']);
  }
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

await main();
