// The master boot script `master.al`: the reference deployment's steps 1–4 and 6 in
// anylog-node's script language. No step 5: the operator owns the master policy.
// Values come from the environment (`$NAME`), so the script holds no secret and no per-pod value; it is
// safe on every pod start because `create table` is guarded by `info table blockchain ledger exists`.
import type { LedgerMode } from '../api/types.js';
import { MASTER_LEDGER_TABLE, MASTER_PARAMETERS_HEAD, MASTER_SERVERS } from '../contract/master-script.js';

export interface MasterScriptOptions {
  /** `<namespace>/<name>` of the CR, for the header comment only. */
  readonly source: string;
  readonly ledgerMode: LedgerMode;
  /** Serve REST over TLS with client certificates from the pem directory. */
  readonly restTls?: boolean;
}

const HEADER = (source: string): string[] => [
  '#-----------------------------------------------------------------------------------------------------',
  `# about: master boot script rendered by anylog-operator for AnyLogMaster ${source}.`,
  '# Steps 1-4 and 6 of the reference master deployment; step 5 (the master policy) belongs to the operator.',
  '# Every value comes from the environment (ConfigMap, downward API, Secret references). Do not edit: the',
  '# operator re-renders this file from the AnyLogMaster spec.',
  '#-----------------------------------------------------------------------------------------------------',
];

const PARAMETERS = [
  ...MASTER_PARAMETERS_HEAD,
  'internal_ip = $INTERNAL_IP',
  'external_ip = $EXTERNAL_IP',
  'ledger_conn = $LEDGER_CONN',
  'blockchain_sync = $BLOCKCHAIN_SYNC',
];

const PSQL_PARAMETERS = [
  'db_ip = $DB_IP',
  'db_port = $DB_PORT',
  'db_name = $DB_NAME',
  'db_sslmode = $DB_SSLMODE',
  'db_user = $DB_USER',
  'db_passwd = $DB_PASSWD',
];

const CONNECT_PSQL = [
  '# Step 3: ledger database and table (PostgreSQL)',
  '<connect dbms blockchain where type = psql and ip = !db_ip and port = !db_port and',
  '    user = !db_user and password = !db_passwd and database = !db_name and sslmode = !db_sslmode>',
];

const CONNECT_SQLITE = [
  '# Step 3: ledger database and table (SQLite on the node volume)',
  'connect dbms blockchain where type = sqlite',
];

const TABLE_AND_SYNC = [
  ...MASTER_LEDGER_TABLE,
  '',
  '# Step 4: scheduler and blockchain sync (the master syncs from itself)',
  'run scheduler 1',
  'run blockchain sync where source = master and time = !blockchain_sync and dest = file and connection = !ledger_conn',
  '',
  '# Step 6: process check',
  'get processes',
];

const TLS_PARAMETERS = ['pem_dir = $PEM_DIR', 'rest_ssl_org = $REST_SSL_ORG'];
const PLAIN_REST_END = 'timeout = !rest_timeout>';
const TLS_REST_END =
  'timeout = !rest_timeout and\n    ssl = true and ca_org = !rest_ssl_org and server_org = !rest_ssl_org>';

/** The server start-up, with the REST server's TLS clause when asked for. */
function servers(restTls: boolean): string[] {
  if (!restTls) return [...MASTER_SERVERS];
  const last = MASTER_SERVERS.at(-1) ?? '';
  if (!last.endsWith(PLAIN_REST_END)) throw new Error('the REST server line changed shape');
  return [...MASTER_SERVERS.slice(0, -1), ...last.replace(PLAIN_REST_END, TLS_REST_END).split('\n')];
}

/** The script text; deterministic for equal options. */
export function renderMasterScript(options: MasterScriptOptions): string {
  const psql = options.ledgerMode !== 'Embedded';
  const lines = [
    ...HEADER(options.source),
    '',
    ...PARAMETERS,
    ...(psql ? PSQL_PARAMETERS : []),
    ...(options.restTls === true ? TLS_PARAMETERS : []),
    '',
    ...servers(options.restTls === true),
    '',
    ...(psql ? CONNECT_PSQL : CONNECT_SQLITE),
    ...TABLE_AND_SYNC,
  ];
  return `${lines.join('\n')}\n`;
}
