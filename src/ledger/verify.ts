// Verifies a provisioned ledger: log in as the node role to the target
// database, read from `ledger`, and check both indexes, so LedgerReady=True means the node's own
// connection will work.
import { LEDGER_INDEXES, LEDGER_TABLE } from '../contract/ledger-ddl.js';
import { withLedgerClient, type LedgerCredentials, type LedgerEndpoint } from './connect.js';
import { LedgerSqlError } from './pg-errors.js';
import { INDEX_PARAMS, SELECT_INDEXES, VERIFY_LEDGER } from './sql.js';

export interface VerifyInput {
  readonly endpoint: LedgerEndpoint;
  readonly nodeCredentials: LedgerCredentials;
}

export interface LedgerVerification {
  /** Rows in `ledger` (policies on the master). */
  readonly rows: number;
}

export async function verifyLedger(input: VerifyInput): Promise<LedgerVerification> {
  return withLedgerClient(
    { endpoint: input.endpoint, credentials: input.nodeCredentials },
    async (client) => {
      const count = await client.query<{ rows: number }>(VERIFY_LEDGER);
      const idx = await client.query<{ indexname: string }>(SELECT_INDEXES, [...INDEX_PARAMS]);
      const present = new Set(idx.rows.map((r) => r.indexname));
      const missing = LEDGER_INDEXES.filter((name) => !present.has(name));
      if (missing.length > 0) {
        throw new LedgerSqlError({
          message: `table ${LEDGER_TABLE} in ${input.endpoint.database} lacks index(es) ${missing.join(', ')}`,
        });
      }
      return { rows: count.rows[0]?.rows ?? 0 };
    },
  );
}
