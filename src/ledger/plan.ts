// PURE ledger provisioning plan: observed PostgreSQL state plus
// the desired role and database → the ordered steps that converge it, or a blocking outcome
// (LedgerAuthFailed, DatabaseMissing) that needs the user. No I/O; src/ledger/steps.ts executes steps.
import { LEDGER_INDEXES } from '../contract/ledger-ddl.js';

export interface RoleObservation {
  readonly exists: boolean;
  readonly canLogin: boolean;
  readonly createDb: boolean;
}

/** Result of logging in as the node role to the target database. */
export type NodeLogin = 'ok' | 'authFailed' | 'databaseMissing' | 'notTried';

export interface TableObservation {
  readonly exists: boolean;
  /** Names among LEDGER_INDEXES that exist on the table. */
  readonly indexes: readonly string[];
}

export interface ObservedLedger {
  /** Admin credentials were given (external with adminCredentialsSecretRef, or managed). */
  readonly admin: boolean;
  /** The node role in pg_roles; undefined when it could not be read. */
  readonly role: RoleObservation | undefined;
  /** Whether the target database exists; undefined when unknown. */
  readonly databaseExists: boolean | undefined;
  readonly nodeLogin: NodeLogin;
  /** Table state inside the target database; undefined when it could not be read. */
  readonly table: TableObservation | undefined;
}

export interface DesiredLedger {
  readonly role: string;
  readonly database: string;
}

export type LedgerStep =
  | { readonly kind: 'createRole'; readonly role: string }
  | { readonly kind: 'alterRolePassword'; readonly role: string }
  | {
      readonly kind: 'createDatabase';
      readonly database: string;
      readonly owner: string;
      readonly as: 'admin' | 'node';
    }
  | { readonly kind: 'createLedgerTable' }
  | { readonly kind: 'createLedgerIndexes'; readonly indexes: readonly string[] };

export interface LedgerBlock {
  readonly reason: 'LedgerAuthFailed' | 'DatabaseMissing';
  readonly message: string;
}

export interface LedgerPlan {
  readonly steps: readonly LedgerStep[];
  /** Set when nothing the operator may do can make progress. */
  readonly blocked?: LedgerBlock;
}

function roleSteps(observed: ObservedLedger, desired: DesiredLedger): LedgerStep[] {
  if (observed.role?.exists === false) return [{ kind: 'createRole', role: desired.role }];
  if (observed.nodeLogin === 'authFailed' || observed.role?.canLogin === false) {
    return [{ kind: 'alterRolePassword', role: desired.role }];
  }
  return [];
}

function tableSteps(table: TableObservation | undefined): LedgerStep[] {
  if (table === undefined || !table.exists) {
    return [{ kind: 'createLedgerTable' }, { kind: 'createLedgerIndexes', indexes: [...LEDGER_INDEXES] }];
  }
  const missing = LEDGER_INDEXES.filter((name) => !table.indexes.includes(name));
  return missing.length === 0 ? [] : [{ kind: 'createLedgerIndexes', indexes: missing }];
}

function planWithAdmin(observed: ObservedLedger, desired: DesiredLedger): LedgerPlan {
  const steps = roleSteps(observed, desired);
  if (observed.databaseExists === false) {
    steps.push({ kind: 'createDatabase', database: desired.database, owner: desired.role, as: 'admin' });
  }
  return { steps: [...steps, ...tableSteps(observed.table)] };
}

function planWithoutAdmin(observed: ObservedLedger, desired: DesiredLedger): LedgerPlan {
  if (observed.nodeLogin === 'authFailed') {
    return {
      steps: [],
      blocked: {
        reason: 'LedgerAuthFailed',
        message: `PostgreSQL rejected role "${desired.role}" for database "${desired.database}": check the credentials Secret, or give adminCredentialsSecretRef so the operator can set the password`,
      },
    };
  }
  const steps: LedgerStep[] = [];
  if (observed.databaseExists === false) {
    if (observed.role?.createDb === false) {
      return {
        steps: [],
        blocked: {
          reason: 'DatabaseMissing',
          message: `database "${desired.database}" does not exist and role "${desired.role}" lacks CREATEDB: create the database or give adminCredentialsSecretRef`,
        },
      };
    }
    steps.push({ kind: 'createDatabase', database: desired.database, owner: desired.role, as: 'node' });
  }
  return { steps: [...steps, ...tableSteps(observed.table)] };
}

/** Observed state + desired → ordered steps (empty when the ledger is already as desired). */
export function planLedger(observed: ObservedLedger, desired: DesiredLedger): LedgerPlan {
  return observed.admin ? planWithAdmin(observed, desired) : planWithoutAdmin(observed, desired);
}
