// Shared shapes of the ledger step: the result the reconcile and deletion flows read,
// and the mapping of ledger failures (LedgerError reasons, SecretNotFound) to outcomes.
import type { AnyLogMasterStatus } from '../../../api/types.js';
import { LedgerError, type LedgerCredentials, type LedgerEndpoint } from '../../../ledger/index.js';
import type { PsqlLedgerInputs } from '../../../render/index.js';
import { condition, type ConditionOutcome, type StalledOutcome, type WaitingOutcome } from '../outcomes.js';
import { SecretNotFoundError } from './secrets.js';

export type LedgerStatus = NonNullable<AnyLogMasterStatus['ledger']>;

/** What the node and the deletion flow need to reach a PostgreSQL ledger. */
export interface LedgerConnection {
  readonly endpoint: LedgerEndpoint;
  readonly nodeCredentials: LedgerCredentials;
  readonly adminCredentials?: LedgerCredentials | undefined;
}

export interface LedgerStepResult {
  readonly outcome: ConditionOutcome;
  readonly status: LedgerStatus;
  readonly ready: boolean;
  readonly waiting?: WaitingOutcome;
  readonly stalled?: StalledOutcome;
  readonly render?: PsqlLedgerInputs;
  readonly connection?: LedgerConnection;
}

/** A failure of the ledger step as outcomes (LedgerError reasons, SecretNotFound); rethrows the rest. */
export function ledgerFailure(err: unknown, status: LedgerStatus): LedgerStepResult {
  const notReady = { status, ready: false } as const;
  if (err instanceof SecretNotFoundError) {
    return {
      ...notReady,
      outcome: condition('False', 'SecretNotFound', err.message),
      stalled: { reason: 'SecretNotFound', message: err.message },
    };
  }
  if (!(err instanceof LedgerError)) throw err;
  switch (err.reason) {
    case 'LedgerAuthFailed':
    case 'DatabaseMissing':
      return {
        ...notReady,
        outcome: condition('False', err.reason, err.message),
        stalled: { reason: err.reason, message: err.message },
      };
    case 'LedgerUnreachable':
      return {
        ...notReady,
        outcome: condition('False', 'LedgerUnreachable', err.message),
        waiting: { reason: 'WaitingForLedger', message: err.message },
      };
    case 'WaitingForLedger':
      return {
        ...notReady,
        outcome: condition('False', 'WaitingForLedger', err.message),
        waiting: { reason: 'ProvisioningLedger', message: err.message },
      };
  }
}
