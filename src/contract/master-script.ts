// Script lines shared by the two master deployments: the node's built-in master (vectors/builtin-master.al)
// and the operator's rendered `master.al`. Both run the same
// parameters head, the same server start-up and the same guarded ledger-table creation; what differs
// (ledger connection, sync, the master policy step) stays with each of them. Pure data.

/** Step 1, the part both scripts read from the environment in this order. */
export const MASTER_PARAMETERS_HEAD: readonly string[] = [
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
];

/** Step 2: the TCP and REST servers. */
export const MASTER_SERVERS: readonly string[] = [
  '# Step 2: TCP and REST servers',
  '<run tcp server where external_ip = !external_ip and external_port = !anylog_server_port and',
  '    internal_ip = !internal_ip and internal_port = !anylog_server_port and',
  '    bind = !tcp_bind and threads = !tcp_threads>',
  '<run rest server where external_ip = !external_ip and external_port = !anylog_rest_port and',
  '    internal_ip = !internal_ip and internal_port = !anylog_rest_port and',
  '    bind = !rest_bind and threads = !rest_threads and timeout = !rest_timeout>',
];

/** Step 3's end: create the ledger table only when it is missing (safe on every start). */
export const MASTER_LEDGER_TABLE: readonly string[] = [
  'is_table = info table blockchain ledger exists',
  'if !is_table == false then create table ledger where dbms = blockchain',
];
