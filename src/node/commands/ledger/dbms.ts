// Database commands: `connect dbms`, `disconnect dbms`, `create table ledger`,
// `info table … exists`, `blockchain create table`, `blockchain drop table`.
import {
  fail,
  ok,
  type CommandDef,
  type CommandResult,
  type Invocation,
  type ExecContext,
} from '../../ports/command.js';
import type { DbmsConnectOptions, NodeServices } from '../../ports/runtime.js';
import { SSL_MODES } from '../../../contract/ssl-mode.js';
import { parseWhere, type WhereValues } from '../../interpreter/where.js';
import { BLOCKCHAIN, ledgerFailure, notConnected } from './shared.js';
import { STATUS, type StatusCode } from '../../../contract/status-codes.js';

const CONNECT_SCHEMA = {
  type: { type: 'str', required: true },
  user: { type: 'str' },
  password: { type: 'str' },
  ip: { type: 'str' },
  port: { type: 'int', min: 1, max: 65535 },
  memory: { type: 'bool' },
  autocommit: { type: 'bool' },
  unlog: { type: 'bool' },
  database: { type: 'str' },
  sslmode: { type: 'enum', values: SSL_MODES },
} as const;

const UNSUPPORTED_TYPES = new Set(['pi', 'mongo', 'bucket']);

function resolveType(node: NodeServices, value: string): string {
  const lower = value.toLowerCase();
  if (lower === 'psql' || lower === 'sqlite') return lower;
  return (node.dict.get(value) ?? value).toLowerCase();
}

type ConnectValues = WhereValues<typeof CONNECT_SCHEMA>;

function connectOptions(name: string, type: 'psql' | 'sqlite', v: ConnectValues): DbmsConnectOptions {
  const sslmode = v.sslmode as DbmsConnectOptions['sslmode'];
  return {
    name,
    type,
    ...(v.user === undefined ? {} : { user: v.user }),
    ...(v.password === undefined ? {} : { password: v.password }),
    ...(v.ip === undefined ? {} : { host: v.ip }),
    ...(v.port === undefined ? {} : { port: v.port }),
    ...(v.database === undefined ? {} : { database: v.database }),
    ...(sslmode === undefined ? {} : { sslmode }),
    ...(v.memory === undefined ? {} : { memory: v.memory }),
  };
}

async function connectDbms(inv: Invocation, ctx: ExecContext, node: NodeServices): Promise<CommandResult> {
  const w = inv.words;
  if (w.length < 7 || w[3] !== 'where')
    return fail(STATUS.COMMAND_STRUCTURE, "Wrong command format: 'connect dbms'");
  const name = w[2] ?? '';
  const parsed = parseWhere(w.slice(4), CONNECT_SCHEMA, {
    command: inv.text,
    dict: node.dict,
    rawWords: inv.rawWords.slice(4),
  });
  if (!parsed.ok) return parsed.result;
  const v = parsed.values;
  const type = resolveType(node, v.type ?? '');
  if (UNSUPPORTED_TYPES.has(type))
    return fail(STATUS.NOT_SUPPORTED, `DBMS type '${type}' is not supported by anylog-node`);
  if (type !== 'psql' && type !== 'sqlite') return fail(STATUS.WRONG_DBMS_TYPE, `Wrong DBMS type: '${type}'`);
  const existing = node.dbms.typeOf(name);
  if (existing === type) return ok();
  if (existing !== undefined) {
    return fail(
      STATUS.DBMS_CONNECTION_ERROR,
      `Connect request to dbms ${type} conflicts with existing connection to dbms ${existing}`,
    );
  }
  return openDbms(node, ctx, connectOptions(name, type, v));
}

async function openDbms(
  node: NodeServices,
  ctx: ExecContext,
  options: DbmsConnectOptions,
): Promise<CommandResult> {
  try {
    await node.dbms.connect(options);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    return fail(
      STATUS.DBMS_NOT_CONNECTED,
      `Database connect error: ${options.name} using ${options.type} failed to connect: ${msg}`,
    );
  }
  ctx.console(`Database ${options.name} using ${options.type} connected!`);
  return ok();
}

async function disconnectDbms(
  inv: Invocation,
  _ctx: ExecContext,
  node: NodeServices,
): Promise<CommandResult> {
  const name = inv.words[2];
  if (name === undefined || inv.words.length !== 3) return fail(STATUS.COMMAND_STRUCTURE);
  return (await node.dbms.disconnect(name)) ? ok() : notConnected(name);
}

async function createLedgerTable(node: NodeServices, failCode: StatusCode): Promise<CommandResult> {
  const store = node.dbms.get(BLOCKCHAIN);
  if (store === undefined) return fail(failCode, `Database '${BLOCKCHAIN}' not connected`);
  try {
    await store.createTable();
    return ok();
  } catch (err) {
    const mapped = ledgerFailure(err, failCode);
    return mapped.code === STATUS.DBMS_NOT_CONNECTED ? fail(failCode, mapped.detail) : mapped;
  }
}

async function createTable(inv: Invocation, _ctx: ExecContext, node: NodeServices): Promise<CommandResult> {
  const w = inv.words;
  if (w.length !== 7 || w[3] !== 'where' || w[4] !== 'dbms' || w[5] !== '=')
    return fail(STATUS.COMMAND_STRUCTURE);
  if (w[2] !== 'ledger' || w[6] !== BLOCKCHAIN)
    return fail(STATUS.NOT_SUPPORTED, 'Only table ledger of dbms blockchain is supported');
  return createLedgerTable(node, STATUS.PROCESS_FAILURE);
}

async function infoTable(inv: Invocation, _ctx: ExecContext, node: NodeServices): Promise<CommandResult> {
  const w = inv.words;
  if (w[1] === 'view') return fail(STATUS.NOT_SUPPORTED);
  if (w.length < 5) return fail(STATUS.COMMAND_STRUCTURE);
  if (w[4] !== 'exists') return fail(STATUS.COMMAND_STRUCTURE, `Type of info not recognized: ${w[4] ?? ''}`);
  const dbms = w[2] ?? '';
  const store = node.dbms.get(dbms);
  if (store === undefined) return notConnected(dbms);
  if (w[3] !== 'ledger') return ok('false');
  try {
    return ok((await store.tableExists()) ? 'true' : 'false');
  } catch (err) {
    return ledgerFailure(err, STATUS.SQL_FAILURE, dbms);
  }
}

async function dropLedgerTable(
  _inv: Invocation,
  _ctx: ExecContext,
  node: NodeServices,
): Promise<CommandResult> {
  const store = node.dbms.get(BLOCKCHAIN);
  if (store === undefined) return fail(STATUS.TABLE_NOT_DECLARED, `Database '${BLOCKCHAIN}' not connected`);
  try {
    await store.dropTable();
    return ok();
  } catch (err) {
    const mapped = ledgerFailure(err, STATUS.TABLE_NOT_DECLARED);
    return mapped.code === STATUS.DBMS_NOT_CONNECTED
      ? mapped
      : fail(STATUS.TABLE_NOT_DECLARED, mapped.detail);
  }
}

export const DBMS_COMMANDS: readonly CommandDef[] = [
  { key: 'connect dbms', run: connectDbms },
  { key: 'disconnect dbms', run: disconnectDbms },
  { key: 'create table', run: createTable },
  { key: 'info table', peerAllowed: true, run: infoTable },
  { key: 'info view', run: infoTable },
  {
    key: 'blockchain create table',
    run: (_i: Invocation, _c: ExecContext, node: NodeServices) =>
      createLedgerTable(node, STATUS.BLOCKCHAIN_FAILED),
  },
  { key: 'blockchain drop table', run: dropLedgerTable },
];
