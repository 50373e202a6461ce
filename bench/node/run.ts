// npm run bench:node — measures the anylog-node runtime and prints one JSON document:
// start-up to REST ready, idle RSS, REST `get status` throughput and latency (new
// connection per request and keep-alive, at 1/4/16 connections), REST `blockchain insert` and TCP
// `blockchain push` rates, `blockchain get` latencies and RSS at 1,000/10,000/100,000 policies,
// push-to-visible after a forced sync, a sequential TCP sender that waits for the server's close after each
// message, a second node pulling the whole ledger, and the time each of the fuzz tests' generated inputs
// takes in the frame decoder and in `blockchain get` (in this process, the slowest input the figure).
// Runs the built package (npm run build first). BENCH_MAX_POLICIES lowers the largest size for quick runs;
// BENCH_SECTIONS (comma list of fuzz, startup, getStatus, ledger, tcpPush, tcpClose, pull; default all) and
// BENCH_NO_BUILD=1 are for iterating on one part; BENCH_WRK_RUNS (default 3) sets the wrk runs per
// `get status` point. As root the whole run re-executes itself in a private network namespace with only
// loopback up (`unshare -n`), so the host's loopback traffic and conntrack do not distort new-connection
// figures; BENCH_NETNS=0 keeps the host's namespace.
import { connect } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeMessage } from '../../src/node/tcp/codec.js';
import { decodeMessage } from '../../src/node/tcp/assembler.js';
import { FrameError } from '../../src/node/tcp/errors.js';
import { runBlockchainGet } from '../../src/node/blockchain-query/index.js';
import { createLedgerFile } from '../../src/node/ledger/index.js';
import type { NodeServices } from '../../src/node/ports/runtime.js';
import { silentLogger } from '../../src/common/logger.js';
import { blockchainGetFuzzInputs, frameFuzzInputs } from '../../test/helpers/fuzz-inputs.js';
import { readVectorJson } from '../../test/helpers/vectors.js';
import {
  buildPackage,
  cpuSeconds,
  percentile,
  rest,
  round,
  rssMb,
  startNode,
  type NodeProc,
} from '../lib/proc.js';
import { ensureWrk, runWrk } from '../lib/wrk.js';
import { networkName, reexecInPrivateNetwork } from '../lib/netns.js';

const MAX = Number(process.env['BENCH_MAX_POLICIES'] ?? 100_000);
const SIZES = [1_000, 10_000, 100_000].filter((n) => n <= MAX);
const WRK_SECONDS = Number(process.env['BENCH_WRK_SECONDS'] ?? 5);
/** wrk runs per `get status` configuration; the median is reported with every run's rate. */
const WRK_RUNS = Math.max(1, Number(process.env['BENCH_WRK_RUNS'] ?? 3));
const SECTIONS = new Set(
  (process.env['BENCH_SECTIONS'] ?? 'fuzz,startup,getStatus,ledger,tcpPush,tcpClose,pull')
    .split(',')
    .map((s) => s.trim()),
);

function policyJson(i: number): string {
  return `{"bench": {"name": "p${i}", "company": "Bench Co", "seq": ${i}, "ip": "10.1.${(i >> 8) & 255}.${i & 255}", "port": 32148}}`;
}

interface InputTimes {
  inputs: number;
  inputsPerSec: number;
  p99Ms: number;
  slowestMs: number;
}

/** Time `run` on each input alone (generating the next input is not counted). */
function timeEach<T>(inputs: Iterable<T>, run: (input: T) => void): InputTimes {
  const samples: number[] = [];
  for (const input of inputs) {
    const t0 = performance.now();
    run(input);
    samples.push(performance.now() - t0);
  }
  const totalMs = samples.reduce((a, b) => a + b, 0);
  samples.sort((a, b) => a - b);
  return {
    inputs: samples.length,
    inputsPerSec: Math.round(samples.length / (totalMs / 1000)),
    p99Ms: round(percentile(samples, 99), 3),
    slowestMs: round(samples[samples.length - 1] ?? NaN, 3),
  };
}

/**
 * The fuzz tests' inputs, timed: 12,000 damaged TCP messages through the frame decoder, and 10,000
 * `blockchain get` word lists against the two-policy ledger of the blockchain-get vectors. A slow input
 * here is one a peer or a REST client could use to stall the node.
 */
function fuzzInputTimes(): { frameDecode: InputTimes; blockchainGet: InputTimes } {
  const frameDecode = timeEach(frameFuzzInputs(12_000), (input) => {
    try {
      decodeMessage(input);
    } catch (err) {
      if (!(err instanceof FrameError)) throw err;
    }
  });
  const dir = mkdtempSync(join(tmpdir(), 'bench-fuzz-'));
  try {
    const path = join(dir, 'blockchain.json');
    writeFileSync(path, (readVectorJson('blockchain-get.json') as { ledger_file: string }).ledger_file);
    const node = { dirs: { blockchain_file: path }, logger: silentLogger() } as unknown as NodeServices;
    const file = createLedgerFile(node);
    const ctx = { externalIp: '127.0.0.1', internalIp: '127.0.0.1' };
    const blockchainGet = timeEach(blockchainGetFuzzInputs(10_000), (words) => {
      runBlockchainGet(words, file, ctx);
    });
    return { frameDecode, blockchainGet };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function measureStartup(): Promise<{ startupMs: number[]; idleRssMb: number }> {
  const times: number[] = [];
  let idle = NaN;
  for (let i = 0; i < 3; i++) {
    const n = await startNode({
      ip: '127.0.0.41',
      tcpPort: 32048,
      restPort: 32049,
      env: { IS_HIDDEN: 'false' },
    });
    times.push(round(n.startupMs, 1));
    if (i === 2) {
      await new Promise((r) => setTimeout(r, 3000));
      idle = rssMb(n.proc.pid);
    }
    await n.stop();
  }
  return { startupMs: times, idleRssMb: idle };
}

function restThroughput(node: NodeProc): unknown[] {
  const url = `http://${node.ip}:${node.restPort}/`;
  const headers = { 'User-Agent': 'AnyLog/1.23', command: 'get status' };
  const results: unknown[] = [];
  for (const keepAlive of [false, true]) {
    for (const connections of [1, 4, 16]) {
      // Several runs, the median reported: single 5 s runs on a shared 2-core machine vary by ±20 %.
      const runs = Array.from({ length: WRK_RUNS }, () =>
        runWrk(url, { connections, keepAlive, seconds: WRK_SECONDS, headers }),
      );
      const sorted = [...runs].sort((a, b) => a.requestsPerSec - b.requestsPerSec);
      const median = sorted[Math.floor(sorted.length / 2)] ?? runs[0];
      results.push({ ...median, runsRequestsPerSec: runs.map((r) => r.requestsPerSec) });
    }
  }
  return results;
}

async function insertRange(
  node: NodeProc,
  from: number,
  to: number,
  clients: number,
): Promise<{
  policies: number;
  seconds: number;
  perSec: number;
  nodeCpuSeconds: number;
  perNodeCpuSec: number;
  errors: number;
}> {
  let next = from;
  let errors = 0;
  const master = `${node.ip}:${node.tcpPort}`;
  const started = performance.now();
  const cpu0 = cpuSeconds(node.proc.pid);
  const worker = async (): Promise<void> => {
    for (;;) {
      const i = next++;
      if (i >= to) return;
      const cmd = `blockchain insert where policy = ${policyJson(i)} and local = true and master = ${master}`;
      const res = await rest(node, cmd, { method: 'POST' });
      if (res.status !== 200) errors++;
    }
  };
  await Promise.all(Array.from({ length: clients }, worker));
  const seconds = (performance.now() - started) / 1000;
  const cpu = cpuSeconds(node.proc.pid) - cpu0;
  return {
    policies: to - from,
    seconds: round(seconds),
    perSec: Math.round((to - from) / seconds),
    // Node CPU per policy is what a loaded machine does not distort: policies per node CPU-second.
    nodeCpuSeconds: round(cpu),
    perNodeCpuSec: Math.round((to - from) / cpu),
    errors,
  };
}

async function timeCommand(
  node: NodeProc,
  command: string,
  repeat: number,
): Promise<{ p50Ms: number; p99Ms: number; bytes: number }> {
  const samples: number[] = [];
  let bytes = 0;
  for (let i = 0; i < repeat; i++) {
    const t0 = performance.now();
    const res = await rest(node, command);
    samples.push(performance.now() - t0);
    bytes = res.body.length;
  }
  samples.sort((a, b) => a - b);
  return { p50Ms: round(percentile(samples, 50), 3), p99Ms: round(percentile(samples, 99), 3), bytes };
}

function sendTcp(node: NodeProc, command: string): Promise<void> {
  const frames = encodeMessage(
    { infoType: 6, sourceIp: '127.0.0.99', sourcePort: 1 },
    command,
    new Uint8Array(0),
  );
  return new Promise((resolve, reject) => {
    const sock = connect({ host: node.ip, port: node.tcpPort }, () => {
      for (const f of frames) sock.write(f);
      sock.end();
    });
    sock.once('close', () => resolve());
    sock.once('error', reject);
  });
}

async function tcpPushRate(
  node: NodeProc,
  count: number,
  peers: number,
): Promise<{
  policies: number;
  sendSeconds: number;
  sentPerSec: number;
  visibleAfterSyncSeconds: number;
  visible: number;
}> {
  let next = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    for (;;) {
      const i = next++;
      if (i >= count) return;
      await sendTcp(node, `blockchain push ${policyJson(1_000_000 + i).replace('"bench"', '"pushbench"')}`);
    }
  };
  await Promise.all(Array.from({ length: peers }, worker));
  const sendSeconds = (performance.now() - started) / 1000;
  let visible = 0;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    await rest(node, 'run blockchain sync', { method: 'POST' });
    visible = Number((await rest(node, 'blockchain get pushbench bring.count')).body);
    if (visible >= count) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    policies: count,
    sendSeconds: round(sendSeconds),
    sentPerSec: Math.round(count / sendSeconds),
    visibleAfterSyncSeconds: round((performance.now() - started) / 1000),
    visible,
  };
}

/**
 * One message per new connection, the sender keeping its side open and waiting for the server's close
 * before the next (a simple EdgeLake client): messages per second, and the time from the last frame
 * written to the server's FIN. SOURCE_PORT 0: handled, never answered.
 */
async function tcpCloseRate(
  node: NodeProc,
  count: number,
): Promise<{
  messages: number;
  seconds: number;
  messagesPerSec: number;
  perNodeCpuSec: number;
  closeP50Ms: number;
  closeP99Ms: number;
}> {
  const frames = encodeMessage(
    { infoType: 6, sourceIp: '127.0.0.99', sourcePort: 0 },
    'get status',
    new Uint8Array(0),
  );
  const once = (): Promise<number> =>
    new Promise((resolve, reject) => {
      let sentAt = 0;
      const sock = connect({ host: node.ip, port: node.tcpPort, allowHalfOpen: true, noDelay: true }, () => {
        for (const f of frames) sock.write(f);
        sentAt = performance.now();
      });
      sock.once('end', () => {
        const ms = performance.now() - sentAt;
        sock.end();
        sock.once('close', () => resolve(ms));
      });
      sock.once('error', reject);
      sock.resume();
    });
  for (let i = 0; i < 50; i++) await once(); // warm-up
  const samples: number[] = [];
  const cpu0 = cpuSeconds(node.proc.pid);
  const started = performance.now();
  for (let i = 0; i < count; i++) samples.push(await once());
  const seconds = (performance.now() - started) / 1000;
  const cpu = cpuSeconds(node.proc.pid) - cpu0;
  samples.sort((a, b) => a - b);
  return {
    messages: count,
    seconds: round(seconds, 3),
    messagesPerSec: Math.round(count / seconds),
    // What a loaded machine does not distort: messages per node CPU-second.
    perNodeCpuSec: Math.round(count / cpu),
    closeP50Ms: round(percentile(samples, 50), 3),
    closeP99Ms: round(percentile(samples, 99), 3),
  };
}

async function pushToVisible(node: NodeProc, tag: number): Promise<number> {
  const name = `visible-${tag}`;
  const t0 = performance.now();
  await sendTcp(node, `blockchain push {"probe": {"name": "${name}", "company": "Bench Co"}}`);
  for (;;) {
    await rest(node, 'run blockchain sync', { method: 'POST' });
    const res = await rest(node, `blockchain get probe where name = ${name} bring.count`);
    if (res.body.trim() === '1') return round(performance.now() - t0, 1);
    if (performance.now() - t0 > 30_000) return NaN;
  }
}

/**
 * The first forced sync after an insert range installs that whole range (its own figure); then single
 * pushes are timed from push to visible, 5 times (median and worst).
 */
async function pushToVisibleSeries(
  node: NodeProc,
  size: number,
): Promise<{ catchUpSyncMs: number; pushToVisibleMs: number; pushToVisibleMaxMs: number }> {
  const t0 = performance.now();
  await rest(node, 'run blockchain sync', { method: 'POST' });
  const catchUpSyncMs = round(performance.now() - t0, 1);
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) samples.push(await pushToVisible(node, size * 10 + i));
  samples.sort((a, b) => a - b);
  return {
    catchUpSyncMs,
    pushToVisibleMs: percentile(samples, 50),
    pushToVisibleMaxMs: samples[samples.length - 1] ?? NaN,
  };
}

async function secondNodePull(
  master: NodeProc,
  expected: number,
): Promise<{ policies: number; seconds: number; rssMb: number }> {
  const script = join(master.home, 'pull.al');
  writeFileSync(
    script,
    [
      'run tcp server where internal_ip = 127.0.0.43 and internal_port = 32148 and bind = true',
      'run rest server where internal_ip = 127.0.0.43 and internal_port = 32149 and bind = true',
      `run blockchain sync where source = master and time = 1 hour and dest = file and connection = ${master.ip}:${master.tcpPort}`,
      '',
    ].join('\n'),
  );
  const t0 = performance.now();
  const node = await startNode({
    ip: '127.0.0.43',
    tcpPort: 32148,
    restPort: 32149,
    script,
    env: { NODE_TYPE: 'generic' },
  });
  let count = 0;
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    count = Number((await rest(node, 'blockchain get bench bring.count')).body);
    if (count >= expected) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const seconds = (performance.now() - t0) / 1000;
  const rss = rssMb(node.proc.pid);
  await node.stop();
  return { policies: count, seconds: round(seconds, 3), rssMb: rss };
}

async function main(): Promise<void> {
  // wrk first: the private namespace has no route to the package mirror
  ensureWrk();
  if (reexecInPrivateNetwork()) return;
  if (process.env['BENCH_NO_BUILD'] !== '1') buildPackage();
  const os = await import('node:os');
  const report: Record<string, unknown> = {
    machine: { cores: os.cpus().length, loadAverageAtStart: os.loadavg().map((l) => round(l, 2)) },
    node: process.version,
    network: networkName(),
    // Every `rssMb` / `idleRssMb` is VmRSS from /proc in MiB (kB / 1024), as ps and top count it.
    units: { rssMb: 'MiB', latency: 'ms', startupMs: 'ms' },
  };
  if (SECTIONS.has('fuzz')) report['fuzzInputs'] = fuzzInputTimes();
  if (SECTIONS.has('startup')) report['startup'] = await measureStartup();

  const master = await startNode({
    ip: '127.0.0.42',
    tcpPort: 32048,
    restPort: 32049,
    env: { IS_HIDDEN: 'false' },
  });
  try {
    if (SECTIONS.has('getStatus')) report['getStatus'] = restThroughput(master);
    const sizes: Record<string, unknown>[] = [];
    let inserted = 0;
    const inserts: unknown[] = [];
    for (const size of SIZES) {
      inserts.push({ upTo: size, ...(await insertRange(master, inserted, size, 4)) });
      inserted = size;
      const mid = Math.floor(size / 2);
      sizes.push({
        policies: size,
        rssMb: rssMb(master.proc.pid),
        getFirstByName: await timeCommand(
          master,
          `blockchain get bench where name = p${mid} bring.first`,
          200,
        ),
        getCount: await timeCommand(master, 'blockchain get bench bring.count', 200),
        getAll: await timeCommand(master, 'blockchain get bench', size >= 100_000 ? 10 : 30),
        ...(await pushToVisibleSeries(master, size)),
      });
    }
    report['restInsert'] = inserts;
    report['ledgerSizes'] = sizes;
    if (SECTIONS.has('tcpPush')) report['tcpPush'] = await tcpPushRate(master, Math.min(10_000, MAX), 16);
    if (SECTIONS.has('tcpClose')) report['tcpSequentialClose'] = await tcpCloseRate(master, 5_000);
    if (SECTIONS.has('pull')) report['secondNodePull'] = await secondNodePull(master, inserted);
  } finally {
    await master.stop();
  }
  report['loadAverageAtEnd'] = os.loadavg().map((l) => round(l, 2));
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

await main();
