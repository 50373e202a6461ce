// The master boot script `master.al` (operator.md §4.2): the reference deployment's steps 1–4 and 6 in
// anylog-node's script language (anylog-node.md §3). No step 5: the operator owns the master policy (§7).
// Values come from the environment (`$NAME`), so the script holds no secret and no per-pod value; it is
// safe on every pod start because `create table` is guarded by `info table blockchain ledger exists`.
import type { LedgerMode } from '../api/types.js';

export interface MasterScriptOptions {
  /** `<namespace>/<name>` of the CR, for the header comment only. */
  readonly source: string;
  readonly ledgerMode: LedgerMode;
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
  '# Step 1: parameters',
  'hostname = get hostname',
  'node_type = $NODE_TYPE',
  'node_name = $NODE_NAME',
  'company_name = $COMPANY_NAME',
  'anylog_server_port = $ANYLOG_SERVER_PORT',
  'anylog_rest_port = $ANYLOG_REST_PORT',
  'tcp_bind = $TCP_BIND',
  'rest_bind = $REST_BIND',
  'tcp_threads = $TCP_THREADS',
  'rest_threads = $REST_THREADS',
  'rest_timeout = $REST_TIMEOUT',
  'overlay_network = $OVERLAY_NETWORK',
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

const SERVERS = [
  '# Step 2: TCP and REST servers',
  '<run tcp server where external_ip = !external_ip and external_port = !anylog_server_port and',
  '    internal_ip = !internal_ip and internal_port = !anylog_server_port and',
  '    bind = !tcp_bind and threads = !tcp_threads>',
  '<run rest server where external_ip = !external_ip and external_port = !anylog_rest_port and',
  '    internal_ip = !internal_ip and internal_port = !anylog_rest_port and',
  '    bind = !rest_bind and threads = !rest_threads and timeout = !rest_timeout>',
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
  'is_table = info table blockchain ledger exists',
  'if !is_table == false then create table ledger where dbms = blockchain',
  '',
  '# Step 4: scheduler and blockchain sync (the master syncs from itself)',
  'run scheduler 1',
  'run blockchain sync where source = master and time = !blockchain_sync and dest = file and connection = !ledger_conn',
  '',
  '# Step 6: process check',
  'get processes',
];

/** The script text; deterministic for equal options. */
export function renderMasterScript(options: MasterScriptOptions): string {
  const psql = options.ledgerMode !== 'Embedded';
  const lines = [
    ...HEADER(options.source),
    '',
    ...PARAMETERS,
    ...(psql ? PSQL_PARAMETERS : []),
    '',
    ...SERVERS,
    '',
    ...(psql ? CONNECT_PSQL : CONNECT_SQLITE),
    ...TABLE_AND_SYNC,
  ];
  return `${lines.join('\n')}\n`;
}
