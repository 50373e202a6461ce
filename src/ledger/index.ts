// Façade of the operator's ledger provisioning: provisionLedger
// observes, plans, applies steps one at a time and re-observes until the plan is empty (at most three
// rounds), then verifies as the node role. The reconcile step calls this and maps LedgerError.reason to
// the LedgerReady condition.
import type { Logger } from '../common/logger.js';
import type { LedgerCredentials, LedgerEndpoint } from './connect.js';
import { observeLedger } from './observe.js';
import { LedgerAuthFailedError, LedgerDatabaseMissingError, LedgerSqlError } from './pg-errors.js';
import { planLedger, type LedgerBlock, type LedgerStep } from './plan.js';
import { executeLedgerStep } from './steps.js';
import { verifyLedger } from './verify.js';
import type { CreatedByOperator } from './cleanup.js';

export interface ProvisionInput {
  readonly endpoint: LedgerEndpoint;
  /** The role the node uses (external: credentialsSecretRef; managed: the generated role). */
  readonly nodeCredentials: LedgerCredentials;
  /** External adminCredentialsSecretRef, or the managed generated role. */
  readonly adminCredentials?: LedgerCredentials | undefined;
  readonly logger: Logger;
  readonly signal?: AbortSignal | undefined;
}

export interface ProvisionResult {
  /** What this call created; the caller ORs it into status (only ever false → true). */
  readonly createdByOperator: CreatedByOperator;
  readonly steps: readonly LedgerStep['kind'][];
  readonly rows: number;
}

export const MAX_ROUNDS = 3;

function blockedError(block: LedgerBlock): Error {
  return block.reason === 'LedgerAuthFailed'
    ? new LedgerAuthFailedError({ message: block.message })
    : new LedgerDatabaseMissingError({ message: block.message });
}

/** Bring the ledger to the desired state; throws a LedgerError (with .reason) when it cannot. */
export async function provisionLedger(input: ProvisionInput): Promise<ProvisionResult> {
  const desired = { role: input.nodeCredentials.username, database: input.endpoint.database };
  const executed: LedgerStep['kind'][] = [];
  let createdRole = false;
  let createdDatabase = false;
  for (let round = 0; ; round++) {
    input.signal?.throwIfAborted();
    const plan = planLedger(await observeLedger(input), desired);
    if (plan.blocked !== undefined) throw blockedError(plan.blocked);
    if (plan.steps.length === 0) break;
    if (round >= MAX_ROUNDS - 1) {
      throw new LedgerSqlError({
        message: `ledger did not converge; still planned: ${plan.steps.map((s) => s.kind).join(', ')}`,
      });
    }
    for (const step of plan.steps) {
      input.signal?.throwIfAborted();
      const result = await executeLedgerStep(step, input);
      executed.push(step.kind);
      createdRole ||= result.createdRole;
      createdDatabase ||= result.createdDatabase;
    }
  }
  const { rows } = await verifyLedger(input);
  return { createdByOperator: { database: createdDatabase, role: createdRole }, steps: executed, rows };
}

export { verifyLedger, type LedgerVerification, type VerifyInput } from './verify.js';
export { observeLedger, type ObserveInput } from './observe.js';
export {
  planLedger,
  type LedgerPlan,
  type LedgerStep,
  type ObservedLedger,
  type DesiredLedger,
} from './plan.js';
export { executeLedgerStep, type StepContext, type StepResult } from './steps.js';
export {
  cleanupLedger,
  deletePolicyRows,
  type CleanupLedgerInput,
  type CleanupOutcome,
  type CreatedByOperator,
} from './cleanup.js';
export { sslOptions, type LedgerCredentials, type LedgerEndpoint } from './connect.js';
export {
  LedgerAuthFailedError,
  LedgerDatabaseMissingError,
  LedgerError,
  LedgerSqlError,
  LedgerUnreachableError,
  mapPgError,
  scrubSecrets,
  type LedgerReason,
} from './pg-errors.js';
export { scramVerifier } from './scram.js';
