// npm run bench:operator — measures the operator against the real local control plane with real
// anylog-node pods and prints one JSON document: time for N AnyLogMasters
// (embedded ledger) to all reach Ready, reconciles/s during the ramp, API requests (and writes) per
// reconcile when idle, operator RSS at 0 and N objects, and the time from a spec change to
// status.observedGeneration catching up. The operator is the built `anylog-operator run` in its own
// process, with leader election as deployed (BENCH_LEADER_ELECTION=false turns it off); counters come
// from its /metrics. Run through with-cluster (the npm script does); BENCH_OBJECTS sets N (default 50).
// The operator runs at LOG_LEVEL=debug so its kube client logs every write (verb, path): the idle
// window reports which requests wrote, and Lease renewals (leader election, not reconcile work) apart
// from the reconcile writes, which should be zero at steady state.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { ensureCrd, sample } from '../../test/integration/operator/anylogmaster/harness.js';
import { clusterEnv, getJson, kubectlOk } from '../../test/helpers/cluster.js';
import { buildPackage, repoRoot, rssMb } from '../lib/proc.js';

const N = Number(process.env['BENCH_OBJECTS'] ?? 50);
const LEADER_ELECTION = process.env['BENCH_LEADER_ELECTION'] ?? 'true';
/** Extra Node options for the operator process (e.g. `--heapsnapshot-signal=SIGUSR2 --diagnostic-dir=/tmp`). */
const OPERATOR_NODE_OPTIONS = process.env['BENCH_OPERATOR_NODE_OPTIONS'] ?? '';
/** Extra environment of the operator process, `NAME=value` pairs separated by spaces. */
const OPERATOR_ENV = Object.fromEntries(
  (process.env['BENCH_OPERATOR_ENV'] ?? '')
    .split(' ')
    .filter((pair) => pair.includes('='))
    .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
);
/** Send this signal to the operator after the idle window (a heap snapshot signal, say). */
const SNAPSHOT_SIGNAL = process.env['BENCH_SNAPSHOT_SIGNAL'] ?? '';
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

interface Scrape {
  reconciles: number;
  requests: number;
  writes: number;
  heapUsedMb: number;
  heapTotalMb: number;
  externalMb: number;
  /** Committed size of each V8 heap space (new, old, code, large object...). */
  spacesMb: Record<string, number>;
}

const mb = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10;

/** Sums of the counters we need, read from the operator's Prometheus endpoint. */
async function scrape(): Promise<Scrape> {
  const text = await (await fetch(`http://${METRICS}/metrics`)).text();
  let reconciles = 0;
  let requests = 0;
  let writes = 0;
  let heapUsedMb = NaN;
  let heapTotalMb = NaN;
  let externalMb = NaN;
  const spacesMb: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const plain = /^(\w+) ([0-9.e+]+)$/.exec(line);
    if (plain?.[1] === 'nodejs_heap_size_used_bytes') heapUsedMb = mb(Number(plain[2]));
    if (plain?.[1] === 'nodejs_heap_size_total_bytes') heapTotalMb = mb(Number(plain[2]));
    if (plain?.[1] === 'nodejs_external_memory_bytes') externalMb = mb(Number(plain[2]));
    const space = /^nodejs_heap_space_size_total_bytes\{space="(\w+)"\} ([0-9.e+]+)$/.exec(line);
    if (space?.[1] !== undefined) spacesMb[space[1]] = mb(Number(space[2]));
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
  return { reconciles, requests, writes, heapUsedMb, heapTotalMb, externalMb, spacesMb };
}

function heapReport(s: Scrape): Record<string, unknown> {
  const { heapUsedMb, heapTotalMb, externalMb, spacesMb } = s;
  return { heapUsedMb, heapTotalMb, externalMb, spacesMb };
}

/** Write requests the operator logged ('api write' lines), with the path's object names generalised. */
class WriteLog {
  readonly #entries: { at: number; request: string }[] = [];

  add(line: string): void {
    let entry: { msg?: unknown; method?: unknown; path?: unknown; code?: unknown };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      return;
    }
    if (entry.msg !== 'api write' || typeof entry.path !== 'string') return;
    const path = entry.path
      .replace(/\/namespaces\/[^/]+/, '/namespaces/*')
      .replace(/\/m\d+(?=\/|$)/, '/<cr>');
    this.#entries.push({ at: Date.now(), request: `${String(entry.method)} ${path} ${String(entry.code)}` });
  }

  /** Counts per request kind between two wall-clock times. */
  between(from: number, to: number): Record<string, number> {
    const out: Record<string, number> = {};
    for (const e of this.#entries) {
      if (e.at < from || e.at > to) continue;
      out[e.request] = (out[e.request] ?? 0) + 1;
    }
    return out;
  }

  /** Lease writes (leader election) between two wall-clock times. */
  leaseWrites(from: number, to: number): number {
    return Object.entries(this.between(from, to))
      .filter(([request]) => request.includes('/leases/'))
      .reduce((n, [, count]) => n + count, 0);
  }
}

async function main(): Promise<void> {
  buildPackage();
  const env = clusterEnv();
  const report: Record<string, unknown> = { objects: N };
  await ensureCrd();
  await kubectlOk(['create', 'namespace', NS]);
  // Executed like the image's CMD does (the launcher's shebang picks node and its V8 flags); npm run
  // puts node_modules/.bin (Node 24) first in PATH.
  const op = spawn(join(repoRoot, 'bin', 'anylog-operator.js'), ['run'], {
    env: {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      KUBECONFIG: env.kubeconfig,
      WATCH_NAMESPACES: NS,
      LEADER_ELECTION: LEADER_ELECTION,
      LEDGER_ADDRESSING: 'pod-ip',
      DEFAULT_NODE_IMAGE: 'anylog-node',
      DEFAULT_LEDGER_IMAGE: 'postgres:17',
      METRICS_BIND_ADDRESS: METRICS,
      HEALTH_PROBE_BIND_ADDRESS: HEALTH,
      POD_NAME: 'bench-operator',
      POD_NAMESPACE: NS,
      LOG_LEVEL: 'debug',
      ...(OPERATOR_NODE_OPTIONS === '' ? {} : { NODE_OPTIONS: OPERATOR_NODE_OPTIONS }),
      ...OPERATOR_ENV,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const writeLog = new WriteLog();
  createInterface({ input: op.stdout }).on('line', (line) => {
    writeLog.add(line);
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
    const idle0 = await scrape();
    report['operatorHeapAt0'] = heapReport(idle0);

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
    const rampEnd = Date.now();
    report['allReady'] = { ready, seconds: Math.round(rampSeconds * 10) / 10 };
    report['reconcilesPerSecondDuringRamp'] =
      Math.round(((s1.reconciles - s0.reconciles) / rampSeconds) * 100) / 100;

    await sleep(10_000);
    const idleWindowS = 60;
    const a = await scrape();
    const idleFrom = Date.now();
    await sleep(idleWindowS * 1000);
    const b = await scrape();
    const idleTo = Date.now();
    const rec = b.reconciles - a.reconciles;
    const leaseWrites = writeLog.leaseWrites(idleFrom, idleTo);
    report['idle'] = {
      windowSeconds: idleWindowS,
      leaderElection: LEADER_ELECTION,
      reconciles: rec,
      apiRequests: b.requests - a.requests,
      writeRequests: b.writes - a.writes,
      leaseWriteRequests: leaseWrites,
      reconcileWriteRequests: b.writes - a.writes - leaseWrites,
      apiRequestsPerReconcile: rec === 0 ? null : Math.round(((b.requests - a.requests) / rec) * 100) / 100,
      writesByRequest: writeLog.between(idleFrom, idleTo),
      writesInThe10sBefore: writeLog.between(rampEnd, idleFrom),
    };
    report['operatorRssMbAtN'] = rssMb(op.pid);
    report['operatorHeapAtN'] = heapReport(b);
    if (SNAPSHOT_SIGNAL !== '') {
      op.kill(SNAPSHOT_SIGNAL as NodeJS.Signals);
      await sleep(15_000);
    }

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
