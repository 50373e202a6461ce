// Ledger cleanup for deletionPolicy Delete: delete the master policy row
// by policy_id when the node cannot do it, then DROP DATABASE … WITH (FORCE) and DROP ROLE, each only
// when status.ledger.createdByOperator says this operator created it. Every statement is idempotent.
import type { Logger } from '../common/logger.js';
import { withLedgerClient, type LedgerCredentials, type LedgerEndpoint } from './connect.js';
import { LedgerError } from './pg-errors.js';
import { DELETE_POLICY_ROWS, MAINTENANCE_DATABASE, dropDatabaseSql, dropRoleSql } from './sql.js';

export interface DeletePolicyRowsInput {
  readonly endpoint: LedgerEndpoint;
  /** The node role (owner of the table) or the admin. */
  readonly credentials: LedgerCredentials;
  readonly policyIds: readonly string[];
}

/** Delete ledger rows by policy_id; a missing table or database counts as nothing to delete. */
export async function deletePolicyRows(input: DeletePolicyRowsInput): Promise<number> {
  if (input.policyIds.length === 0) return 0;
  try {
    return await withLedgerClient(
      { endpoint: input.endpoint, credentials: input.credentials },
      async (client) => {
        const result = await client.query(DELETE_POLICY_ROWS, [[...input.policyIds]]);
        return result.rowCount ?? 0;
      },
    );
  } catch (err) {
    if (err instanceof LedgerError && (err.sqlState === '3D000' || err.sqlState === '42P01')) return 0;
    throw err;
  }
}

export interface CreatedByOperator {
  readonly database: boolean;
  readonly role: boolean;
}

export interface CleanupLedgerInput {
  readonly endpoint: LedgerEndpoint;
  readonly nodeCredentials: LedgerCredentials;
  readonly adminCredentials?: LedgerCredentials | undefined;
  readonly createdByOperator: CreatedByOperator;
  readonly logger: Logger;
}

export interface CleanupOutcome {
  readonly droppedDatabase: boolean;
  readonly droppedRole: boolean;
  /** What was left behind and why (e.g. a role without admin credentials). */
  readonly skipped: readonly string[];
}

async function dropDatabase(endpoint: LedgerEndpoint, credentials: LedgerCredentials): Promise<void> {
  await withLedgerClient({ endpoint, credentials, database: MAINTENANCE_DATABASE }, (client) =>
    client.query(dropDatabaseSql(endpoint.database)),
  );
}

async function dropRole(endpoint: LedgerEndpoint, admin: LedgerCredentials, role: string): Promise<void> {
  await withLedgerClient({ endpoint, credentials: admin, database: MAINTENANCE_DATABASE }, (client) =>
    client.query(dropRoleSql(role)),
  );
}

/** Drop what this operator created: the database (admin, else its owner), then the role (admin only). */
export async function cleanupLedger(input: CleanupLedgerInput): Promise<CleanupOutcome> {
  const { endpoint, createdByOperator, adminCredentials, nodeCredentials, logger } = input;
  const skipped: string[] = [];
  let droppedDatabase = false;
  let droppedRole = false;
  if (createdByOperator.database) {
    logger.info({ database: endpoint.database }, 'dropping ledger database');
    await dropDatabase(endpoint, adminCredentials ?? nodeCredentials);
    droppedDatabase = true;
  }
  if (createdByOperator.role) {
    if (adminCredentials === undefined) {
      skipped.push(`role ${nodeCredentials.username}: no admin credentials`);
    } else if (adminCredentials.username === nodeCredentials.username) {
      skipped.push(`role ${nodeCredentials.username}: it is the admin role itself`);
    } else {
      logger.info({ role: nodeCredentials.username }, 'dropping ledger role');
      await dropRole(endpoint, adminCredentials, nodeCredentials.username);
      droppedRole = true;
    }
  }
  return { droppedDatabase, droppedRole, skipped };
}
