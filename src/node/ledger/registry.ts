// DbmsRegistry implementation: logical database name → LedgerStore.
// psql: physical database from `database`, else DB_NAME for `blockchain`, else the logical name; pool size
// max(TCP_THREADS, REST_THREADS). sqlite: `<dbms_dir>/<name>.dbms` or memory. Reads `node` only at call time.
import { join } from 'node:path';
import type { DbmsConnectOptions, DbmsRegistry, NodeServices } from '../ports/runtime.js';
import type { LedgerStore } from '../ports/ledger.js';
import { LEDGER_LOGICAL_DBMS } from '../../contract/ledger-ddl.js';
import { SqliteLedgerStore } from './sqlite-store.js';
import { LedgerError } from './errors.js';

export interface DbmsRegistryOptions {
  /** pg connection timeout (ms). */
  readonly connectTimeoutMs?: number;
}

function intEnv(node: NodeServices, name: string, fallback: number): number {
  const n = Number(node.env.get(name) ?? '');
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

function physicalName(node: NodeServices, logical: string): string {
  const dbName = node.env.get('DB_NAME');
  return logical === LEDGER_LOGICAL_DBMS && dbName !== undefined && dbName !== '' ? dbName : logical;
}

class Registry implements DbmsRegistry {
  private readonly stores = new Map<string, LedgerStore>();

  constructor(
    private readonly node: NodeServices,
    private readonly options: DbmsRegistryOptions,
  ) {}

  async connect(options: DbmsConnectOptions): Promise<void> {
    const existing = this.stores.get(options.name);
    if (existing !== undefined) {
      if (existing.type === options.type) return;
      throw new LedgerError(
        'connect',
        options.name,
        `Connect request to dbms ${options.type} conflicts with existing connection to dbms ${existing.type}`,
      );
    }
    const store = options.type === 'psql' ? await this.openPg(options) : this.openSqlite(options);
    this.stores.set(options.name, store);
  }

  private async openPg(options: DbmsConnectOptions): Promise<LedgerStore> {
    const node = this.node;
    const root = node.env.get('PGSSLROOTCERT');
    // Loaded on first use: `pg` costs ~40 ms of start-up CPU that an embedded (SQLite) node never needs.
    const { PgLedgerStore } = await import('./pg-store.js');
    return PgLedgerStore.open({
      logicalName: options.name,
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 5432,
      user: options.user ?? '',
      password: options.password ?? '',
      database: options.database ?? physicalName(node, options.name),
      ...(options.sslmode === undefined ? {} : { sslmode: options.sslmode }),
      ...(root === undefined || root === '' ? {} : { rootCertFile: root }),
      poolSize: Math.max(intEnv(node, 'TCP_THREADS', 6), intEnv(node, 'REST_THREADS', 6)),
      ...(this.options.connectTimeoutMs === undefined
        ? {}
        : { connectTimeoutMs: this.options.connectTimeoutMs }),
      logger: node.logger,
    });
  }

  private openSqlite(options: DbmsConnectOptions): LedgerStore {
    if (options.memory === true)
      return new SqliteLedgerStore({ logicalName: options.name, location: ':memory:' });
    const dir = this.node.dirs['dbms_dir'];
    if (dir === undefined) throw new LedgerError('connect', options.name, 'dbms_dir is not configured');
    return new SqliteLedgerStore({ logicalName: options.name, location: join(dir, `${options.name}.dbms`) });
  }

  async disconnect(name: string): Promise<boolean> {
    const store = this.stores.get(name);
    if (store === undefined) return false;
    this.stores.delete(name);
    await store.close();
    return true;
  }

  get(name: string): LedgerStore | undefined {
    return this.stores.get(name);
  }

  typeOf(name: string): 'psql' | 'sqlite' | undefined {
    return this.stores.get(name)?.type;
  }

  async closeAll(): Promise<void> {
    const all = [...this.stores.values()];
    this.stores.clear();
    await Promise.allSettled(all.map((s) => s.close()));
  }
}

export function createDbmsRegistry(node: NodeServices, options: DbmsRegistryOptions = {}): DbmsRegistry {
  return new Registry(node, options);
}
