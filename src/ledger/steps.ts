// Executes one ledger provisioning step idempotently: roles and
// databases check-then-create under a session advisory lock in the maintenance database (CREATE DATABASE
// cannot run in a transaction), tolerating a concurrent creator; table and indexes with IF NOT EXISTS in
// one transaction under pg_advisory_xact_lock. Statements carrying credentials are never logged.
import { LEDGER_ADVISORY_LOCK_KEY, PG_LEDGER_DDL_IF_NOT_EXISTS } from '../contract/ledger-ddl.js';
import { AppError } from '../common/errors.js';
import type { Logger } from '../common/logger.js';
import { withLedgerClient, type LedgerCredentials, type LedgerEndpoint } from './connect.js';
import { LedgerDatabaseMissingError, sqlStateOf } from './pg-errors.js';
import type { LedgerStep } from './plan.js';
import { scramVerifier } from './scram.js';
import {
  ADVISORY_LOCK,
  ADVISORY_UNLOCK,
  ADVISORY_XACT_LOCK,
  MAINTENANCE_DATABASE,
  SELECT_DATABASE,
  SELECT_ROLE,
  alterRolePasswordSql,
  createDatabaseSql,
  createRoleSql,
  grantRoleToCurrentUserSql,
} from './sql.js';
import type pg from 'pg';

export interface StepContext {
  readonly endpoint: LedgerEndpoint;
  readonly nodeCredentials: LedgerCredentials;
  readonly adminCredentials?: LedgerCredentials | undefined;
  readonly logger: Logger;
}

export interface StepResult {
  /** This step created the role (records status.ledger.createdByOperator.role). */
  readonly createdRole: boolean;
  /** This step created the database (records status.ledger.createdByOperator.database). */
  readonly createdDatabase: boolean;
}

const NOTHING: StepResult = Object.freeze({ createdRole: false, createdDatabase: false });
/** Another session created the same object between our check and our CREATE. */
const DUPLICATE_STATES = new Set(['42710', '42P04', '23505']);

function requireAdmin(ctx: StepContext, step: string): LedgerCredentials {
  if (ctx.adminCredentials === undefined) {
    throw new AppError('ERR_INTERNAL', `ledger step ${step} needs admin credentials (plan bug)`);
  }
  return ctx.adminCredentials;
}

function secretsOf(ctx: StepContext): string[] {
  return [
    ctx.nodeCredentials.password,
    ...(ctx.adminCredentials === undefined ? [] : [ctx.adminCredentials.password]),
  ];
}

/** Check, create when absent, tolerate a concurrent creator; all under the session advisory lock. */
async function createUnderLock(
  client: pg.Client,
  exists: () => Promise<boolean>,
  create: () => Promise<unknown>,
): Promise<boolean> {
  await client.query(ADVISORY_LOCK, [LEDGER_ADVISORY_LOCK_KEY]);
  try {
    if (await exists()) return false;
    try {
      await create();
      return true;
    } catch (err) {
      const state = sqlStateOf(err);
      if (state !== undefined && DUPLICATE_STATES.has(state) && (await exists())) return false;
      throw err;
    }
  } finally {
    await client.query(ADVISORY_UNLOCK, [LEDGER_ADVISORY_LOCK_KEY]).catch(() => undefined);
  }
}

async function createRole(ctx: StepContext, role: string): Promise<StepResult> {
  const admin = requireAdmin(ctx, 'createRole');
  const created = await withLedgerClient(
    { endpoint: ctx.endpoint, credentials: admin, database: MAINTENANCE_DATABASE },
    (client) =>
      createUnderLock(
        client,
        async () => ((await client.query(SELECT_ROLE, [role])).rowCount ?? 0) > 0,
        () => client.query(createRoleSql(role, scramVerifier(ctx.nodeCredentials.password))),
      ),
    { secrets: secretsOf(ctx) },
  );
  return { createdRole: created, createdDatabase: false };
}

async function alterRolePassword(ctx: StepContext, role: string): Promise<StepResult> {
  const admin = requireAdmin(ctx, 'alterRolePassword');
  await withLedgerClient(
    { endpoint: ctx.endpoint, credentials: admin, database: MAINTENANCE_DATABASE },
    (client) => client.query(alterRolePasswordSql(role, scramVerifier(ctx.nodeCredentials.password))),
    { secrets: secretsOf(ctx) },
  );
  return NOTHING;
}

/**
 * CREATE DATABASE … OWNER <role>. A non-superuser admin (CREATEROLE, CREATEDB) must be a member of the
 * owner role; on 42501 it grants itself that membership once and retries.
 */
async function createDatabaseOwnedBy(
  client: pg.Client,
  database: string,
  owner: string | undefined,
): Promise<void> {
  try {
    await client.query(createDatabaseSql(database, owner));
  } catch (err) {
    if (owner === undefined || sqlStateOf(err) !== '42501') throw err;
    await client.query(grantRoleToCurrentUserSql(owner));
    await client.query(createDatabaseSql(database, owner));
  }
}

async function createDatabase(
  ctx: StepContext,
  step: Extract<LedgerStep, { kind: 'createDatabase' }>,
): Promise<StepResult> {
  const credentials = step.as === 'admin' ? requireAdmin(ctx, 'createDatabase') : ctx.nodeCredentials;
  const owner = credentials.username === step.owner ? undefined : step.owner;
  try {
    const created = await withLedgerClient(
      { endpoint: ctx.endpoint, credentials, database: MAINTENANCE_DATABASE },
      (client) =>
        createUnderLock(
          client,
          async () => ((await client.query(SELECT_DATABASE, [step.database])).rowCount ?? 0) > 0,
          () => createDatabaseOwnedBy(client, step.database, owner),
        ),
      { secrets: secretsOf(ctx), privilegeMeansDatabaseMissing: true },
    );
    return { createdRole: false, createdDatabase: created };
  } catch (err) {
    if (!(err instanceof LedgerDatabaseMissingError)) throw err;
    const init = {
      message: `database "${step.database}" does not exist and role "${credentials.username}" cannot create it: ${err.message}`,
    };
    throw new LedgerDatabaseMissingError(
      err.sqlState === undefined ? init : { ...init, sqlState: err.sqlState },
    );
  }
}

/** Table or index DDL (IF NOT EXISTS) as the node role, in one transaction under the advisory lock. */
async function runLedgerDdl(ctx: StepContext, statements: readonly string[]): Promise<StepResult> {
  await withLedgerClient(
    { endpoint: ctx.endpoint, credentials: ctx.nodeCredentials },
    async (client) => {
      await client.query('BEGIN');
      try {
        await client.query(ADVISORY_XACT_LOCK, [LEDGER_ADVISORY_LOCK_KEY]);
        for (const sql of statements) await client.query(sql);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    },
    { secrets: secretsOf(ctx) },
  );
  return NOTHING;
}

const [TABLE_DDL = '', ...INDEX_DDL] = PG_LEDGER_DDL_IF_NOT_EXISTS;

/** Execute one step; safe to repeat from the start after a crash at any point. */
export async function executeLedgerStep(step: LedgerStep, ctx: StepContext): Promise<StepResult> {
  ctx.logger.info(
    { step: step.kind, database: ctx.endpoint.database, role: ctx.nodeCredentials.username },
    'ledger step',
  );
  switch (step.kind) {
    case 'createRole':
      return createRole(ctx, step.role);
    case 'alterRolePassword':
      return alterRolePassword(ctx, step.role);
    case 'createDatabase':
      return createDatabase(ctx, step);
    case 'createLedgerTable':
      return runLedgerDdl(ctx, [TABLE_DDL]);
    case 'createLedgerIndexes':
      return runLedgerDdl(ctx, INDEX_DDL);
  }
}
