// npm run bench:rest-front — the REST socket front against node:http serving the same REST rules. Builds
// the package, then a variant bundle of the node in which rest/index.ts is replaced by
// rest-server/variants.ts, and runs three nodes from it: `front` (the production server), `node-http`
// (node:http for every request) and `fastify` (the fastify app for every request). Reports, per variant,
// start-up time, RSS at idle after start-up and after 200 requests, and `get status` rates with a new
// connection per request and with keep-alive at 1, 4 and 16 connections (wrk; BENCH_WRK_RUNS runs of
// BENCH_WRK_SECONDS each, default 5 × 5 s, the variants interleaved run by run so all see the same machine
// load), with each variant's requests per node CPU-second, which a busy machine distorts less. As root it
// runs in a private network namespace (bench/lib/netns.ts). Prints one JSON document.
import { build } from 'esbuild';
import { nodeBundleOptions } from '../../scripts/lib/node-bundle.mjs';
import { join, resolve } from 'node:path';
import {
  buildPackage,
  cpuSeconds,
  rest,
  repoRoot,
  round,
  rssMb,
  startNode,
  type NodeProc,
} from '../lib/proc.js';
import { ensureWrk, runWrk, type WrkResult } from '../lib/wrk.js';
import { networkName, reexecInPrivateNetwork } from '../lib/netns.js';

const ALL_VARIANTS = ['front', 'node-http', 'fastify'] as const;
type Variant = (typeof ALL_VARIANTS)[number];
/** BENCH_VARIANTS (comma list) and BENCH_KEEPALIVE=0 (new connections only) narrow a run. */
const VARIANTS = ALL_VARIANTS.filter((v) =>
  (process.env['BENCH_VARIANTS'] ?? ALL_VARIANTS.join(',')).split(',').includes(v),
);
const WRK_SECONDS = Number(process.env['BENCH_WRK_SECONDS'] ?? 5);
const WRK_RUNS = Math.max(1, Number(process.env['BENCH_WRK_RUNS'] ?? 5));
const OUT = join(repoRoot, 'dist', 'bench-rest');

/**
 * Bundle dist/bin/anylog-node.js as scripts/bundle-node.mjs does, with assemble's `./rest/index.js`
 * resolved to the variants module, whose own `src/` imports resolve to the same compiled files.
 */
async function buildVariantBundle(): Promise<string> {
  const dist = join(repoRoot, 'dist');
  const variants = join(repoRoot, 'bench', 'node', 'rest-server', 'variants.ts');
  await build({
    ...nodeBundleOptions(repoRoot),
    outdir: OUT,
    plugins: [
      {
        name: 'rest-variants',
        setup(b) {
          b.onResolve({ filter: /^\.\/rest\/index\.js$/ }, (args) =>
            args.importer === join(dist, 'node', 'assemble.js') ? { path: variants } : undefined,
          );
          b.onResolve({ filter: /\/src\// }, (args) => {
            if (args.importer !== variants) return undefined;
            const source = resolve(args.resolveDir, args.path);
            return { path: join(dist, source.slice(join(repoRoot, 'src').length + 1)) };
          });
        },
      },
    ],
  });
  return join(OUT, 'anylog-node.js');
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

interface Point {
  keepAlive: boolean;
  connections: number;
}

interface Sample {
  rate: number;
  perCpuSec: number;
  errors: number;
}

function wrkOnce(node: NodeProc, point: Point): Sample {
  const cpu0 = cpuSeconds(node.proc.pid);
  const r: WrkResult = runWrk(`http://${node.ip}:${node.restPort}/`, {
    connections: point.connections,
    keepAlive: point.keepAlive,
    seconds: WRK_SECONDS,
    headers: { 'User-Agent': 'AnyLog/1.23', command: 'get status' },
  });
  const cpu = cpuSeconds(node.proc.pid) - cpu0;
  return {
    rate: r.requestsPerSec,
    perCpuSec: Math.round((r.requestsPerSec * WRK_SECONDS) / cpu),
    errors: r.errors,
  };
}

async function main(): Promise<void> {
  // wrk first: the private namespace has no route to the package mirror
  ensureWrk();
  if (reexecInPrivateNetwork()) return;
  if (process.env['BENCH_NO_BUILD'] !== '1') buildPackage();
  const entry = await buildVariantBundle();
  const os = await import('node:os');
  const report: Record<string, unknown> = {
    machine: { cores: os.cpus().length, loadAverageAtStart: os.loadavg().map((l) => round(l, 2)) },
    node: process.version,
    network: networkName(),
    units: { rssMb: 'MiB (VmRSS)', rate: 'requests/s', perCpuSec: 'requests per node CPU-second' },
  };
  const nodes = new Map<Variant, NodeProc>();
  const memory: Record<string, unknown> = {};
  try {
    for (const variant of VARIANTS) {
      const i = ALL_VARIANTS.indexOf(variant);
      const node = await startNode({
        ip: `127.0.0.${51 + i}`,
        tcpPort: 32048,
        restPort: 32049,
        entry,
        env: { IS_HIDDEN: 'false', BENCH_REST_SERVER: variant },
      });
      nodes.set(variant, node);
      await new Promise((r) => setTimeout(r, 3000));
      const idleAfterStart = rssMb(node.proc.pid);
      for (let n = 0; n < 200; n++) await rest(node, 'get status');
      await new Promise((r) => setTimeout(r, 3000));
      memory[variant] = {
        startupMs: round(node.startupMs, 1),
        idleAfterStart,
        idleAfter200Requests: rssMb(node.proc.pid),
      };
    }
    report['rssMb'] = memory;
    const points: Point[] = [];
    const modes = process.env['BENCH_KEEPALIVE'] === '0' ? [false] : [false, true];
    for (const keepAlive of modes)
      for (const connections of [1, 4, 16]) points.push({ keepAlive, connections });
    const samples = new Map<string, Sample[]>();
    for (let run = 0; run < WRK_RUNS; run++) {
      for (const point of points) {
        // each run starts with a different variant, so none always follows the same one
        for (let k = 0; k < VARIANTS.length; k++) {
          const variant = VARIANTS[(run + k) % VARIANTS.length] ?? 'front';
          const node = nodes.get(variant);
          if (node === undefined) continue;
          const key = `${variant}/${point.keepAlive ? 'keepAlive' : 'newConnection'}/${point.connections}`;
          const list = samples.get(key) ?? [];
          list.push(wrkOnce(node, point));
          samples.set(key, list);
        }
      }
    }
    const rates: Record<string, unknown> = {};
    for (const [key, list] of samples) {
      const r = list.map((s) => s.rate);
      rates[key] = {
        medianRate: median(r),
        minRate: Math.min(...r),
        maxRate: Math.max(...r),
        medianPerCpuSec: median(list.map((s) => s.perCpuSec)),
        runs: r,
        errors: list.reduce((a, s) => a + s.errors, 0),
      };
    }
    report['getStatus'] = rates;
  } finally {
    for (const node of nodes.values()) await node.stop();
  }
  report['loadAverageAtEnd'] = os.loadavg().map((l) => round(l, 2));
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

await main();
