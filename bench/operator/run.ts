// npm run bench:operator — measures the operator against the real local control plane with real
// anylog-node pods and prints one JSON document (issue 4, acceptance 9): time for N AnyLogMasters
// (embedded ledger) to all reach Ready, reconciles/s during the ramp, API requests (and writes) per
// reconcile when idle, operator RSS at 0 and N objects, and the time from a spec change to
// status.observedGeneration catching up. The operator runs in this process (as in the integration
// suites), so RSS is this process's. Run through with-cluster (the npm script does): BENCH_OBJECTS sets N.
import type { Test } from 'tap';
import { ensureCrd, startOperator, sample } from '../../test/integration/operator/anylogmaster/harness.js';
import { getJson, kubectlOk } from '../../test/helpers/cluster.js';

const N = Number(process.env['BENCH_OBJECTS'] ?? 50);
const NS = `bench-${Date.now().toString(36)}`;

function rssMb(): number {
  return Math.round((process.memoryUsage().rss / 1024 / 1024) * 10) / 10;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Cr {
  metadata: { name: string; generation: number };
  status?: {
    observedGeneration?: number;
    conditions?: { type: string; status: string; observedGeneration?: number }[];
  };
}

function isReady(cr: Cr): boolean {
  const ready = cr.status?.conditions?.find((c) => c.type === 'Ready');
  return ready?.status === 'True' && cr.status?.observedGeneration === cr.metadata.generation;
}

async function listCrs(): Promise<Cr[]> {
  return ((await getJson(['-n', NS, 'anylogmasters'])) as { items: Cr[] }).items;
}

async function main(): Promise<void> {
  const teardowns: (() => Promise<void> | void)[] = [];
  const fakeT = { teardown: (fn: () => Promise<void> | void) => teardowns.push(fn) } as unknown as Test;
  const report: Record<string, unknown> = { objects: N };
  await ensureCrd();
  await kubectlOk(['create', 'namespace', NS]);
  try {
    const op = await startOperator(fakeT, NS);
    await sleep(5000);
    report['rssMbAt0'] = rssMb();
    const reconciles = async (): Promise<number> =>
      op.metrics.value('controller_runtime_reconcile_total', {});
    const requests = async (): Promise<number> => op.metrics.value('rest_client_requests_total', {});

    const docs = Array.from({ length: N }, (_, i) =>
      JSON.stringify(sample('anylogmaster-embedded.yaml', `m${i}`, NS)),
    );
    const r0 = await reconciles();
    const t0 = performance.now();
    await kubectlOk(['apply', '--server-side', '--field-manager=bench', '-f', '-'], {
      input: docs.join('\n'),
    });
    let ready = 0;
    const deadline = Date.now() + 15 * 60_000;
    while (Date.now() < deadline) {
      ready = (await listCrs()).filter(isReady).length;
      if (ready >= N) break;
      await sleep(1000);
    }
    const rampSeconds = (performance.now() - t0) / 1000;
    const r1 = await reconciles();
    report['allReady'] = { ready, seconds: Math.round(rampSeconds * 10) / 10 };
    report['reconcilesPerSecondDuringRamp'] = Math.round(((r1 - r0) / rampSeconds) * 100) / 100;

    await sleep(10_000);
    const idleWindowS = 60;
    const [ra, qa, wa] = [await reconciles(), await requests(), await op.writes()];
    await sleep(idleWindowS * 1000);
    const [rb, qb, wb] = [await reconciles(), await requests(), await op.writes()];
    report['idle'] = {
      windowSeconds: idleWindowS,
      reconciles: rb - ra,
      apiRequests: qb - qa,
      writeRequests: wb - wa,
      apiRequestsPerReconcile: rb - ra === 0 ? null : Math.round(((qb - qa) / (rb - ra)) * 100) / 100,
    };
    report['rssMbAtN'] = rssMb();

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
    for (const fn of teardowns.reverse()) await fn();
    await kubectlOk(['delete', 'namespace', NS, '--wait=false']);
  }
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

await main();
