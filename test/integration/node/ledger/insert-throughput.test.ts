// REST `blockchain insert` under concurrency: 4 HTTP clients (a child process) insert policies into a
// master (local file + in-process push to its own SQLite table). Every policy must end up in the file
// once and in the table once. The rate is only reported as a comment: speed targets are measured by
// `npm run bench:node`, never asserted in tests.
import t from 'tap';
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTcp, startTestNode } from './fixtures/node-harness.js';

const clientsScript = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'insert-clients.mjs');

function runClients(args: string[]): Promise<{ ok: number; seconds: number }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [clientsScript, ...args], { timeout: 120_000 }, (err, stdout) => {
      if (err !== null) reject(new Error(`insert clients failed: ${err.message}`));
      else resolve(JSON.parse(stdout) as { ok: number; seconds: number });
    });
  });
}

t.test('4 REST clients: every inserted policy lands once in the file and the table', async (t) => {
  const n = await startTestNode(t, { REST_THREADS: '8' });
  await n.ok('connect dbms blockchain where type = sqlite');
  await n.ok('create table ledger where dbms = blockchain');
  await startTcp(n);
  const conn = `127.0.0.1:${n.tcpPort}`;
  await n.ok(
    `run blockchain sync where source = master and time = 1 hour and dest = file and connection = ${conn}`,
  );
  await n.ok(
    `run rest server where external_ip = 127.0.0.1 and external_port = ${n.restPort} and internal_ip = 127.0.0.1 and internal_port = ${n.restPort} and bind = true and threads = 8 and timeout = 30`,
  );
  const warm = await runClients([String(n.restPort), conn, '1', '20', 'warm']);
  t.equal(warm.ok, 20, 'warm-up inserts answered 200');
  const clients = 4;
  const perClient = 750;
  const total = clients * perClient;
  const cpuStart = process.cpuUsage();
  const result = await runClients([String(n.restPort), conn, String(clients), String(perClient)]);
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  t.equal(result.ok, total, 'every insert answered 200');
  const rate = total / cpuSeconds;
  t.comment(
    `${rate.toFixed(0)} policies per node CPU-second (${cpuSeconds.toFixed(2)} CPU-s; wall ${(total / result.seconds).toFixed(0)}/s)`,
  );
  t.equal(n.node.ledgerFile.byType('operator').length, total + 20, 'all in the local file once');
  const store = n.node.dbms.get('blockchain');
  let rows = 0;
  for (let i = 0; i < 100 && rows < total + 20; i++) {
    rows = ((await store?.dump()) ?? []).length;
    if (rows < total + 20) await new Promise((r) => setTimeout(r, 50));
  }
  t.equal(rows, total + 20, 'all pushed into the table');
  await n.ok('run blockchain sync');
  t.equal(await n.ok('blockchain get operator where name = op-3-749 bring [*][ledger]'), 'global');
});
