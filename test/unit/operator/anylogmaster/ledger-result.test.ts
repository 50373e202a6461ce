// The ledger failure mapping (steps/ledger-result.ts): each LedgerError reason and SecretNotFound becomes
// a LedgerReady=False outcome plus either a Stalled (user must act) or a Reconciling (retry) decision;
// the status is passed through unchanged and every other error is rethrown as it is.
import t from 'tap';
import {
  LedgerAuthFailedError,
  LedgerDatabaseMissingError,
  LedgerSqlError,
  LedgerUnreachableError,
} from '../../../../src/ledger/index.js';
import { ResourceConflictError } from '../../../../src/operator/anylogmaster/steps/apply.js';
import {
  ledgerFailure,
  type LedgerStatus,
} from '../../../../src/operator/anylogmaster/steps/ledger-result.js';
import { SecretNotFoundError } from '../../../../src/operator/anylogmaster/steps/secrets.js';
import { serverError } from './fixtures/fake-kube.js';

const status: LedgerStatus = {
  mode: 'External',
  host: 'db.example',
  port: 5433,
  database: 'blockchain',
  secretName: 'anylog-ledger',
  createdByOperator: { database: true, role: false },
};

t.test('SecretNotFound stalls with reason SecretNotFound', async (t) => {
  const r = ledgerFailure(new SecretNotFoundError('Secret x not found'), status);
  t.strictSame(r, {
    status,
    ready: false,
    outcome: { status: 'False', reason: 'SecretNotFound', message: 'Secret x not found' },
    stalled: { reason: 'SecretNotFound', message: 'Secret x not found' },
  });
  t.equal(r.status, status, 'the status object is passed through');
});

t.test('LedgerAuthFailed and DatabaseMissing stall with their own reason', async (t) => {
  const auth = ledgerFailure(new LedgerAuthFailedError({ message: 'password rejected' }), status);
  t.strictSame(auth, {
    status,
    ready: false,
    outcome: { status: 'False', reason: 'LedgerAuthFailed', message: 'password rejected' },
    stalled: { reason: 'LedgerAuthFailed', message: 'password rejected' },
  });
  const missing = ledgerFailure(new LedgerDatabaseMissingError({ message: 'no database' }), status);
  t.strictSame(missing, {
    status,
    ready: false,
    outcome: { status: 'False', reason: 'DatabaseMissing', message: 'no database' },
    stalled: { reason: 'DatabaseMissing', message: 'no database' },
  });
});

t.test('LedgerUnreachable waits (WaitingForLedger) with LedgerReady reason LedgerUnreachable', async (t) => {
  const r = ledgerFailure(new LedgerUnreachableError({ message: 'ECONNREFUSED' }), status);
  t.strictSame(r, {
    status,
    ready: false,
    outcome: { status: 'False', reason: 'LedgerUnreachable', message: 'ECONNREFUSED' },
    waiting: { reason: 'WaitingForLedger', message: 'ECONNREFUSED' },
  });
});

t.test(
  'any other SQL failure waits (ProvisioningLedger) with LedgerReady reason WaitingForLedger',
  async (t) => {
    for (const retryable of [true, false]) {
      const r = ledgerFailure(
        new LedgerSqlError({ message: 'lock timeout', sqlState: '55P03' }, retryable),
        status,
      );
      t.strictSame(r, {
        status,
        ready: false,
        outcome: { status: 'False', reason: 'WaitingForLedger', message: 'lock timeout' },
        waiting: { reason: 'ProvisioningLedger', message: 'lock timeout' },
      });
    }
  },
);

t.test('errors that are not ledger failures are rethrown unchanged', async (t) => {
  for (const err of [
    new Error('boom'),
    serverError(),
    new ResourceConflictError('Secret x is not ours'),
    'a string',
  ]) {
    let thrown: unknown;
    try {
      ledgerFailure(err, status);
    } catch (e) {
      thrown = e;
    }
    t.equal(thrown, err);
  }
});
