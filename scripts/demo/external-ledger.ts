// Demo helper (scripts/demo-operator.sh): prepares a role and a database for an external-ledger
// AnyLogMaster in the PostgreSQL named by ANYLOG_TEST_PG_URL (idempotent: an existing role gets a new
// password), then prints to stdout a credentials Secret and manifests/samples/anylogmaster-external.yaml
// adapted to that server, as multi-document YAML for `kubectl apply --server-side -f -`.
// The password only ever goes to stdout (the pipe to kubectl), never to a log.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { parse, stringify } from 'yaml';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

interface Options {
  readonly namespace: string;
  readonly name: string;
  readonly role: string;
  readonly database: string;
}

function quoteIdent(s: string): string {
  return `"${s.replaceAll('"', '""')}"`;
}

async function prepare(adminUrl: URL, o: Options, password: string): Promise<void> {
  const c = new pg.Client({ connectionString: adminUrl.href });
  await c.connect();
  try {
    const role = await c.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [o.role]);
    // A password cannot be a bind parameter in CREATE/ALTER ROLE; it is hex, so quoting is safe.
    const verb = role.rowCount === 0 ? 'CREATE' : 'ALTER';
    await c.query(`${verb} ROLE ${quoteIdent(o.role)} LOGIN PASSWORD '${password}'`);
    const db = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [o.database]);
    if (db.rowCount === 0) {
      await c.query(`CREATE DATABASE ${quoteIdent(o.database)} OWNER ${quoteIdent(o.role)}`);
    }
  } finally {
    await c.end();
  }
}

function manifests(adminUrl: URL, o: Options, password: string): string {
  const secretName = `${o.name}-ledger`;
  const secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: secretName, namespace: o.namespace },
    type: 'Opaque',
    stringData: { username: o.role, password },
  };
  const cr = parse(
    readFileSync(join(root, 'manifests', 'samples', 'anylogmaster-external.yaml'), 'utf8'),
  ) as { metadata: Record<string, unknown>; spec: Record<string, unknown> };
  const ledger = (cr.spec['ledger'] as { external: Record<string, unknown> }).external;
  // The local PostgreSQL has no TLS and the role and database exist already (no admin Secret needed).
  const external: Record<string, unknown> = {
    ...ledger,
    host: adminUrl.hostname,
    port: Number(adminUrl.port === '' ? '5432' : adminUrl.port),
    database: o.database,
    sslMode: 'disable',
    credentialsSecretRef: { ...(ledger['credentialsSecretRef'] as object), name: secretName },
  };
  delete external['adminCredentialsSecretRef'];
  cr.metadata = { ...cr.metadata, name: o.name, namespace: o.namespace };
  // Every runner pod shares the host's loopback: bind the node's pod IP.
  const network = (cr.spec['network'] ?? {}) as Record<string, unknown>;
  cr.spec = { ...cr.spec, ledger: { external }, network: { ...network, tcpBind: true, restBind: true } };
  return `${stringify(secret)}---\n${stringify(cr)}`;
}

async function main(): Promise<number> {
  const [namespace = 'anylog-demo', name = 'master-external'] = process.argv.slice(2);
  const url = process.env['ANYLOG_TEST_PG_URL'];
  if (url === undefined || url === '') {
    process.stderr.write('ANYLOG_TEST_PG_URL is not set (npm run cluster:up starts PostgreSQL)\n');
    return 1;
  }
  const adminUrl = new URL(url);
  const o: Options = { namespace, name, role: 'anylog_demo', database: 'anylog_demo' };
  const password = randomBytes(16).toString('hex');
  await prepare(adminUrl, o, password);
  process.stdout.write(manifests(adminUrl, o, password));
  return 0;
}

try {
  process.exitCode = await main();
} catch (err) {
  process.stderr.write(`external-ledger: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
