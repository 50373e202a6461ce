// Step 4: make the ledger usable before the node starts. Embedded needs nothing;
// external reads the referenced Secrets and provisions through src/ledger; managed is in
// ledger-managed.ts. LedgerError reasons become LedgerReady and Reconciling/Stalled outcomes.
import type { ResolvedExternalLedger } from '../../../api/types.js';
import { provisionLedger, type LedgerEndpoint } from '../../../ledger/index.js';
import type { PassEnv } from '../deps.js';
import { condition } from '../outcomes.js';
import { provisionManagedLedger } from './ledger-managed.js';
import {
  ledgerFailure,
  type LedgerConnection,
  type LedgerStatus,
  type LedgerStepResult,
} from './ledger-result.js';
import { readSecretCredentials } from './secrets.js';

export type { LedgerConnection, LedgerStatus, LedgerStepResult } from './ledger-result.js';

type CreatedByOperator = NonNullable<LedgerStatus['createdByOperator']>;

function previousCreated(env: PassEnv): CreatedByOperator {
  const prev = env.status.ledger?.createdByOperator;
  return { database: prev?.database ?? false, role: prev?.role ?? false };
}

function externalStatus(ext: ResolvedExternalLedger, created: CreatedByOperator): LedgerStatus {
  return {
    mode: 'External',
    host: ext.host,
    port: ext.port,
    database: ext.database,
    secretName: ext.credentialsSecretRef.name,
    createdByOperator: created,
  };
}

async function provisionExternal(env: PassEnv, ext: ResolvedExternalLedger): Promise<LedgerStepResult> {
  let created = previousCreated(env);
  const endpoint: LedgerEndpoint = {
    host: ext.host,
    port: ext.port,
    database: ext.database,
    sslMode: ext.sslMode,
  };
  try {
    const node = await readSecretCredentials(env, ext.credentialsSecretRef);
    const admin =
      ext.adminCredentialsSecretRef === undefined
        ? undefined
        : await readSecretCredentials(env, ext.adminCredentialsSecretRef);
    const connection: LedgerConnection = {
      endpoint,
      nodeCredentials: node.credentials,
      adminCredentials: admin?.credentials,
    };
    const result = await provisionLedger({ ...connection, logger: env.ctx.logger, signal: env.ctx.signal });
    created = {
      database: created.database || result.createdByOperator.database,
      role: created.role || result.createdByOperator.role,
    };
    const ref = ext.credentialsSecretRef;
    return {
      outcome: condition(
        'True',
        'Provisioned',
        `table ledger ready in ${ext.host}:${ext.port}/${ext.database}`,
      ),
      status: externalStatus(ext, created),
      ready: true,
      render: {
        endpoint,
        credentials: {
          secretName: ref.name,
          usernameKey: ref.usernameKey,
          passwordKey: ref.passwordKey,
          resourceVersion: node.resourceVersion,
        },
      },
      connection,
    };
  } catch (err) {
    return ledgerFailure(err, externalStatus(ext, created));
  }
}

/** Step 4 for every mode. */
export async function reconcileLedger(env: PassEnv): Promise<LedgerStepResult> {
  const ledger = env.spec.ledger;
  switch (ledger.mode) {
    case 'Embedded':
      return {
        outcome: condition('True', 'Embedded', 'SQLite on the node volume'),
        status: { mode: 'Embedded' },
        ready: true,
      };
    case 'External':
      return provisionExternal(env, ledger.external);
    case 'Managed':
      return provisionManagedLedger(env);
  }
}
