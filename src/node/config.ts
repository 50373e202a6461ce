// Node configuration: the environment snapshot validated once (every
// problem reported together as a ConfigError → exit 1), defaults applied, derived addresses, the defaulted
// environment to write back before the boot script, the directories and the boot dictionary. Frozen.
import { join } from 'node:path';
import { SSL_MODES, type SslMode } from '../contract/ssl-mode.js';
import { ConfigError } from '../common/errors.js';
import type { Env } from '../common/env.js';
import { deriveInternalIp, type InterfaceTable } from './identity.js';
import { parseTimeValue } from './interpreter/time-value.js';

const PORTS_BY_TYPE: Readonly<Record<string, readonly [number, number]>> = {
  master: [32048, 32049],
  operator: [32148, 32149],
  publisher: [32248, 32249],
  query: [32348, 32349],
};
const OTHER_PORTS = [32548, 32549] as const;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const IPV4_RE = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

export interface NodeConfig {
  readonly nodeType: string | undefined;
  readonly nodeName: string;
  readonly companyName: string;
  readonly serverPort: number;
  readonly restPort: number;
  readonly tcpBind: boolean;
  readonly restBind: boolean;
  readonly tcpThreads: number;
  readonly restThreads: number;
  readonly restTimeout: number;
  readonly overlayNetwork: boolean;
  readonly overlayIp: string | undefined;
  readonly internalIp: string;
  readonly externalIp: string;
  readonly dbType: 'sqlite' | 'psql';
  readonly dbUser: string | undefined;
  readonly dbPasswd: string;
  readonly dbIp: string;
  readonly dbPort: number;
  readonly dbName: string;
  readonly dbSslmode: SslMode;
  readonly ledgerConn: string;
  readonly blockchainSync: string;
  readonly blockchainSyncSeconds: number;
  readonly destination: 'file' | 'dbms';
  readonly isHidden: boolean;
  readonly anylogPath: string;
  readonly logLevel: string;
  readonly hostname: string;
  /** Directory keys (`blockchain_dir`, `err_dir`, …) → paths. */
  readonly dirs: Readonly<Record<string, string>>;
  /** Values written into the process environment before the boot script. */
  readonly defaultedEnv: Readonly<Record<string, string>>;
  /** Non-fatal notes (ignored values) to log at start-up. */
  readonly warnings: readonly string[];
}

export interface HostFacts {
  readonly hostname: string;
  readonly cwd: string;
  readonly interfaces: InterfaceTable;
}

class Reader {
  readonly problems: string[] = [];
  readonly warnings: string[] = [];
  constructor(private readonly env: Env) {}

  raw(name: string): string | undefined {
    const v = this.env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  }

  bool(name: string, dflt: boolean): boolean {
    const v = this.raw(name);
    if (v === undefined) return dflt;
    const lower = v.toLowerCase();
    if (lower !== 'true' && lower !== 'false')
      this.problems.push(`${name} must be true or false, got '${v}'`);
    return lower === 'true';
  }

  int(name: string, dflt: number, range: readonly [number, number]): number {
    const v = this.raw(name);
    if (v === undefined) return dflt;
    const n = Number(v);
    if (!/^-?\d+$/.test(v) || n < range[0] || n > range[1]) {
      this.problems.push(`${name} must be an integer ${range[0]}-${range[1]}, got '${v}'`);
      return dflt;
    }
    return n;
  }

  ipv4(name: string): string | undefined {
    const v = this.raw(name);
    if (v !== undefined && !IPV4_RE.test(v))
      this.problems.push(`${name} must be an IPv4 address, got '${v}'`);
    return v;
  }

  oneOf<T extends string>(name: string, dflt: T, allowed: readonly T[]): T {
    const v = this.raw(name);
    if (v === undefined) return dflt;
    const match = allowed.find((a) => a === v.toLowerCase());
    if (match === undefined) this.problems.push(`${name} must be one of ${allowed.join(', ')}, got '${v}'`);
    return match ?? dflt;
  }
}

function syncSetting(r: Reader): { text: string; seconds: number } {
  const text = r.raw('BLOCKCHAIN_SYNC') ?? r.raw('SYNC_TIME') ?? '30 seconds';
  const seconds = parseTimeValue(text);
  if (seconds === undefined || seconds < 1) {
    r.problems.push(`BLOCKCHAIN_SYNC must be a time value of at least 1 second, got '${text}'`);
    return { text, seconds: 30 };
  }
  return { text, seconds };
}

function destinationSetting(r: Reader): 'file' | 'dbms' {
  const v = r.raw('DESTINATION') ?? r.raw('BLOCKCHAIN_DESTINATION');
  if (v === undefined) return 'file';
  if (/^[^\s:]+:\d+$/.test(v)) {
    r.warnings.push(`blockchain destination '${v}' looks like ip:port (a chart defect); using 'file'`);
    return 'file';
  }
  const lower = v.toLowerCase();
  if (lower !== 'file' && lower !== 'dbms') r.problems.push(`DESTINATION must be file or dbms, got '${v}'`);
  return lower === 'dbms' ? 'dbms' : 'file';
}

function directories(anylogPath: string): Record<string, string> {
  const home = join(anylogPath, 'AnyLog-Network');
  return {
    anylog_path: anylogPath,
    id_dir: join(home, 'anylog'),
    // AnyLog keeps the node's keys and certificates beside its identity
    pem_dir: join(home, 'anylog'),
    blockchain_dir: join(home, 'blockchain'),
    blockchain_file: join(home, 'blockchain', 'blockchain.json'),
    dbms_dir: join(home, 'data', 'dbms'),
    prep_dir: join(home, 'data', 'prep'),
    err_dir: join(home, 'data', 'error'),
    tmp_dir: join(home, 'data', 'tmp'),
    watch_dir: join(home, 'data', 'watch'),
    bkup_dir: join(home, 'data', 'bkup'),
    archive_dir: join(home, 'data', 'archive'),
  };
}

/** Directory keys created at start-up. */
export const STARTUP_DIR_KEYS = [
  'id_dir',
  'blockchain_dir',
  'dbms_dir',
  'prep_dir',
  'err_dir',
  'tmp_dir',
] as const;

function readAddresses(
  r: Reader,
  host: HostFacts,
): { overlayNetwork: boolean; overlayIp: string | undefined; internalIp: string; externalIp: string } {
  const overlayIp = r.ipv4('OVERLAY_IP');
  const overlayNetwork = r.bool('OVERLAY_NETWORK', overlayIp !== undefined);
  if (overlayNetwork && overlayIp === undefined)
    r.problems.push('OVERLAY_IP is required when OVERLAY_NETWORK is true');
  const internalIp = deriveInternalIp(
    {
      overlayNetwork,
      overlayIp,
      internalIp: r.ipv4('INTERNAL_IP'),
      podIp: r.raw('POD_IP'),
      externalIp: undefined,
    },
    host.interfaces,
  );
  return { overlayNetwork, overlayIp, internalIp, externalIp: r.ipv4('EXTERNAL_IP') ?? internalIp };
}

function readDb(
  r: Reader,
): Pick<NodeConfig, 'dbType' | 'dbUser' | 'dbIp' | 'dbPort' | 'dbName' | 'dbSslmode'> {
  const dbType = r.oneOf('DB_TYPE', 'sqlite', ['sqlite', 'psql'] as const);
  const dbUser = r.raw('DB_USER');
  if (dbType === 'psql' && dbUser === undefined) r.problems.push('DB_USER is required when DB_TYPE is psql');
  return {
    dbType,
    dbUser,
    dbIp: r.raw('DB_IP') ?? '127.0.0.1',
    dbPort: r.int('DB_PORT', 5432, [1, 65535]),
    dbName: r.raw('DB_NAME') ?? 'blockchain',
    dbSslmode: r.oneOf('DB_SSLMODE', 'disable', SSL_MODES),
  };
}

function readLedgerConn(r: Reader, internalIp: string, serverPort: number): string {
  const ledgerConn = r.raw('LEDGER_CONN') ?? `${internalIp}:${serverPort}`;
  if (!/^[^\s:]+:\d{1,5}$/.test(ledgerConn))
    r.problems.push(`LEDGER_CONN must be ip:port, got '${ledgerConn}'`);
  const source = r.raw('BLOCKCHAIN_SOURCE') ?? 'master';
  if (source !== 'master') r.problems.push(`BLOCKCHAIN_SOURCE must be master, got '${source}'`);
  if (r.raw('ANYLOG_BROKER_PORT') !== undefined)
    r.warnings.push('ANYLOG_BROKER_PORT is not supported and is ignored');
  return ledgerConn;
}

/** Validate the environment and build the frozen configuration; throws ConfigError with every problem. */
export function loadConfig(env: Env, host: HostFacts): NodeConfig {
  const r = new Reader(env);
  const nodeType = r.raw('NODE_TYPE');
  const [tcpDefault, restDefault] = PORTS_BY_TYPE[nodeType ?? ''] ?? OTHER_PORTS;
  const serverPort = r.int('ANYLOG_SERVER_PORT', tcpDefault, [1, 65535]);
  const addresses = readAddresses(r, host);
  const ledgerConn = readLedgerConn(r, addresses.internalIp, serverPort);
  const sync = syncSetting(r);
  const anylogPath = r.raw('ANYLOG_PATH') ?? host.cwd;
  const config = {
    nodeType,
    nodeName: r.raw('NODE_NAME') ?? (nodeType === undefined ? 'AnyLog' : `anylog-${nodeType}`),
    companyName: r.raw('COMPANY_NAME') ?? 'New Company',
    serverPort,
    restPort: r.int('ANYLOG_REST_PORT', restDefault, [1, 65535]),
    tcpBind: r.bool('TCP_BIND', false),
    restBind: r.bool('REST_BIND', false),
    tcpThreads: r.int('TCP_THREADS', 6, [1, 100]),
    restThreads: r.int('REST_THREADS', 6, [1, 100]),
    restTimeout: Math.max(0, r.int('REST_TIMEOUT', 30, [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER])),
    ...addresses,
    ...readDb(r),
    dbPasswd: env['DB_PASSWD'] ?? '',
    ledgerConn,
    blockchainSync: sync.text,
    blockchainSyncSeconds: sync.seconds,
    destination: destinationSetting(r),
    isHidden: r.bool('IS_HIDDEN', false),
    anylogPath,
    logLevel: r.oneOf('LOG_LEVEL', 'info', LOG_LEVELS),
    hostname: host.hostname,
    dirs: directories(anylogPath),
    warnings: r.warnings,
  };
  if (r.problems.length > 0) throw new ConfigError(r.problems);
  return deepFreeze({ ...config, defaultedEnv: defaultedEnv(env, config) });
}

type Effective = Omit<NodeConfig, 'defaultedEnv'>;

/** Every start-up parameter that is unset or empty, with its effective value. */
export function defaultedEnv(env: Env, c: Effective): Record<string, string> {
  const effective: Record<string, string | undefined> = {
    NODE_TYPE: c.nodeType,
    NODE_NAME: c.nodeName,
    COMPANY_NAME: c.companyName,
    ANYLOG_SERVER_PORT: String(c.serverPort),
    ANYLOG_REST_PORT: String(c.restPort),
    TCP_BIND: String(c.tcpBind),
    REST_BIND: String(c.restBind),
    TCP_THREADS: String(c.tcpThreads),
    REST_THREADS: String(c.restThreads),
    REST_TIMEOUT: String(c.restTimeout),
    OVERLAY_NETWORK: String(c.overlayNetwork),
    INTERNAL_IP: c.internalIp,
    EXTERNAL_IP: c.externalIp,
    DB_TYPE: c.dbType,
    DB_IP: c.dbIp,
    DB_PORT: String(c.dbPort),
    DB_NAME: c.dbName,
    DB_SSLMODE: c.dbSslmode,
    LEDGER_CONN: c.ledgerConn,
    BLOCKCHAIN_SYNC: c.blockchainSync,
    SYNC_TIME: c.blockchainSync,
    BLOCKCHAIN_SOURCE: 'master',
    DESTINATION: c.destination,
    BLOCKCHAIN_DESTINATION: c.destination,
    LOCATION: '0.0, 0.0',
    COUNTRY: 'Unknown',
    STATE: 'Unknown',
    CITY: 'Unknown',
    IS_HIDDEN: String(c.isHidden),
    ANYLOG_PATH: c.anylogPath,
    LOG_LEVEL: c.logLevel,
  };
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(effective)) {
    const given = env[name];
    if (value !== undefined && (given === undefined || given.trim() === '')) out[name] = value;
  }
  if (c.overlayNetwork) out['INTERNAL_IP'] = c.internalIp;
  // The built-in master's sync reads $BLOCKCHAIN_DESTINATION; DESTINATION wins when both are given (and
  // an ip:port value is a chart defect), so the script must see the value the node actually uses.
  const dest = (env['BLOCKCHAIN_DESTINATION'] ?? '').trim();
  if (dest !== '' && dest.toLowerCase() !== c.destination) out['BLOCKCHAIN_DESTINATION'] = c.destination;
  return out;
}

/** The boot dictionary. */
export function bootDictionary(c: NodeConfig): Record<string, string> {
  return {
    hostname: c.hostname,
    ip: c.internalIp,
    internal_ip: c.internalIp,
    external_ip: c.externalIp,
    io_buff_size: '2048',
    ...c.dirs,
  };
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
