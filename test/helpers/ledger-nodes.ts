// Helpers for ledger integration tests on real nodes (test/helpers/real-node.ts): run-or-fail, bounded
// polling, connecting the `blockchain` dbms to a fresh PostgreSQL database or SQLite, a master that
// syncs from itself, and a node that syncs from a master over TCP.
import type { Test } from 'tap';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from './pg.js';
import { startRealNode, startServers, type RealNode } from './real-node.js';

/** Run a command and fail the test unless its status is 0; returns the result text. */
export async function runOk(t: Test, n: RealNode, text: string, assigned = false): Promise<string> {
  const r = await n.run(text, assigned);
  t.equal(r.code, 0, `${text.slice(0, 120)} → ${r.code} ${r.detail ?? ''}`);
  return r.text ?? '';
}

/** Poll check every 100 ms until it holds or ms pass; returns the last outcome. */
export async function until(check: () => Promise<boolean> | boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return check();
}

/** A fresh PostgreSQL database (dropped at teardown) connected as logical dbms `blockchain`, with `ledger`. */
export async function connectPgLedger(t: Test, n: RealNode, prefix: string): Promise<TestDatabase> {
  const db = await createTestDatabase(prefix);
  t.teardown(() => db.drop());
  await runOk(
    t,
    n,
    `connect dbms blockchain where type = psql and ip = ${db.host} and port = ${db.port} and user = ${db.user} and password = ${db.password} and database = ${db.name}`,
  );
  await runOk(t, n, 'create table ledger where dbms = blockchain');
  return db;
}

export function tcpAddress(n: RealNode): string {
  return `${n.ip}:${n.tcpPort}`;
}

/** A master on `ip` with a PostgreSQL ledger and a TCP server, syncing from itself every `time`. */
export async function startPgMaster(
  t: Test,
  ip: string,
  name: string,
  time = '1 hour',
): Promise<{ master: RealNode; db: TestDatabase }> {
  const master = await startRealNode(t, ip, { NODE_NAME: name });
  const db = await connectPgLedger(t, master, name.replace(/\W/g, '_'));
  await startServers(t, master);
  await runOk(
    t,
    master,
    `run blockchain sync where source = master and time = ${time} and dest = file and connection = ${tcpAddress(master)}`,
  );
  return { master, db };
}

/** Start the TCP server of `n` and its synchronizer pulling from `master`. */
export async function syncFrom(
  t: Test,
  n: RealNode,
  master: RealNode,
  options: { time?: string; dest?: string } = {},
): Promise<void> {
  await startServers(t, n);
  await runOk(
    t,
    n,
    `run blockchain sync where source = master and time = ${options.time ?? '1 hour'} and ${options.dest ?? 'dest = file'} and connection = ${tcpAddress(master)}`,
  );
}

/** The ids in a node's local ledger file. */
export function fileIds(n: RealNode): string[] {
  return n.node.ledgerFile.policies().map((p) => p.id);
}

export interface TableRow {
  readonly policy_type: string;
  readonly policy_id: string;
  readonly host: string;
  readonly policy: string;
}

/** The rows of table `ledger` in a test database, read directly with `pg`, in sequence order. */
export async function tableRows(db: TestDatabase): Promise<TableRow[]> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    const r = await client.query<TableRow>(
      'SELECT policy_type, policy_id, host, policy FROM ledger ORDER BY sequence_id',
    );
    return r.rows;
  } finally {
    await client.end();
  }
}

/** The policy ids in table `ledger` of a test database. */
export async function tableIds(db: TestDatabase): Promise<string[]> {
  return (await tableRows(db)).map((r) => r.policy_id);
}
