// Master-side `blockchain push` core: add id/date when missing, create the
// table when missing, insert one row with bound parameters, `ignore` turns a duplicate into success.
// The node's LedgerPush port: used by the `blockchain push` command and the synchronizer's in-process pushes.
import { getKey, type JsonValue } from '../../contract/ordered-json.js';
import { addIdAndDate, formatPolicyDate, policyParts, PolicyShapeError } from '../../contract/policy-id.js';
import { jsonDumps } from '../../contract/json-dumps.js';
import { pythonStr } from '../../contract/python-repr.js';
import { LEDGER_LOGICAL_DBMS } from '../../contract/ledger-ddl.js';
import { fail, ok, type CommandResult } from '../ports/command.js';
import type { InsertOutcome, LedgerPush, LedgerRow, LedgerStore, PushOptions } from '../ports/ledger.js';
import type { NodeServices } from '../ports/runtime.js';
import { LedgerError } from './errors.js';
import { STATUS } from '../../contract/status-codes.js';

function optionalStr(value: JsonValue | undefined): string | null {
  return value === undefined ? null : pythonStr(value);
}

/** The ledger row of a policy that has its id and date; `text` = its json.dumps when known. */
export function ledgerRow(policy: JsonValue, host: string, text?: string): LedgerRow | undefined {
  const parts = policyParts(policy);
  if (parts === undefined) return undefined;
  const inner = parts.inner;
  return {
    policyType: parts.type,
    policyId: pythonStr(getKey(inner, 'id') ?? ''),
    companyName: optionalStr(getKey(inner, 'company')),
    date: pythonStr(getKey(inner, 'date') ?? ''),
    host,
    status: optionalStr(getKey(inner, 'status')),
    policy: text ?? jsonDumps(policy),
  };
}

/** Such a policy is stored unchanged, so a caller's json.dumps of it is the row's text. */
function hasIdAndDate(policy: JsonValue): boolean {
  const inner = policyParts(policy)?.inner;
  return inner !== undefined && getKey(inner, 'id') !== undefined && getKey(inner, 'date') !== undefined;
}

/** Insert; when the table is missing (42P01 / no such table) create it and retry once. */
async function insertCreatingTable(store: LedgerStore, row: LedgerRow): Promise<InsertOutcome> {
  try {
    return await store.insert(row);
  } catch (err) {
    if (!(err instanceof LedgerError) || err.failure !== 'no-table') throw err;
    await store.createTable();
    return store.insert(row);
  }
}

/** Insert a parsed policy into the `blockchain` ledger table. */
async function pushPolicy(
  node: NodeServices,
  policy: JsonValue,
  options: PushOptions,
): Promise<CommandResult> {
  let withId;
  try {
    withId = addIdAndDate(policy, formatPolicyDate(node.clock.now()));
  } catch (err) {
    if (err instanceof PolicyShapeError) return fail(STATUS.WRONG_POLICY, 'Wrong policy structure');
    throw err;
  }
  const store = node.dbms.get(LEDGER_LOGICAL_DBMS);
  if (store === undefined)
    return fail(STATUS.BLOCKCHAIN_FAILED, `Database '${LEDGER_LOGICAL_DBMS}' not connected`);
  const row = ledgerRow(withId.policy, options.host, hasIdAndDate(policy) ? options.text : undefined);
  if (row === undefined) return fail(STATUS.WRONG_POLICY, 'Wrong policy structure');
  try {
    const outcome = await insertCreatingTable(store, row);
    if (outcome === 'duplicate' && !options.ignoreDuplicate)
      return fail(STATUS.BLOCKCHAIN_FAILED, `duplicate policy id '${row.policyId}'`);
    return ok();
  } catch (err) {
    if (err instanceof LedgerError) {
      return fail(
        err.failure === 'connect' ? STATUS.DBMS_NOT_CONNECTED : STATUS.BLOCKCHAIN_FAILED,
        err.message,
      );
    }
    throw err;
  }
}

/** The push port of `node`, which is read only at call time (factory convention of assemble.ts). */
export function createLedgerPush(node: NodeServices): LedgerPush {
  return { push: (policy, options) => pushPolicy(node, policy, options) };
}
