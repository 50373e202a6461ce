// Table tests for the pure ledger plan (5).
import t from 'tap';
import { planLedger, type LedgerStep, type ObservedLedger } from '../../../src/ledger/plan.js';

const desired = { role: 'anylog', database: 'blockchain' };
const fullTable = { exists: true, indexes: ['hash_index', 'time_index'] };
const role = { exists: true, canLogin: true, createDb: false };
const ready: ObservedLedger = { admin: true, role, databaseExists: true, nodeLogin: 'ok', table: fullTable };
const tableSteps: LedgerStep[] = [
  { kind: 'createLedgerTable' },
  { kind: 'createLedgerIndexes', indexes: ['hash_index', 'time_index'] },
];

interface Row {
  readonly name: string;
  readonly observed: ObservedLedger;
  readonly steps: LedgerStep[];
  readonly blocked?: string;
}

const rows: Row[] = [
  { name: 'admin, everything present → no steps', observed: ready, steps: [] },
  {
    name: 'no admin, everything present → no steps',
    observed: { ...ready, admin: false, role: undefined },
    steps: [],
  },
  {
    name: 'admin, nothing exists → role, database, table, indexes',
    observed: {
      admin: true,
      role: { exists: false, canLogin: false, createDb: false },
      databaseExists: false,
      nodeLogin: 'notTried',
      table: undefined,
    },
    steps: [
      { kind: 'createRole', role: 'anylog' },
      { kind: 'createDatabase', database: 'blockchain', owner: 'anylog', as: 'admin' },
      ...tableSteps,
    ],
  },
  {
    name: 'admin, role missing but database exists → role, then table',
    observed: {
      ...ready,
      role: { exists: false, canLogin: false, createDb: false },
      nodeLogin: 'notTried',
      table: undefined,
    },
    steps: [{ kind: 'createRole', role: 'anylog' }, ...tableSteps],
  },
  {
    name: 'admin, password rotated → alterRolePassword only (table known)',
    observed: { ...ready, nodeLogin: 'authFailed', table: undefined },
    steps: [{ kind: 'alterRolePassword', role: 'anylog' }, ...tableSteps],
  },
  {
    name: 'admin, role without LOGIN → alterRolePassword',
    observed: { ...ready, role: { exists: true, canLogin: false, createDb: false } },
    steps: [{ kind: 'alterRolePassword', role: 'anylog' }],
  },
  {
    name: 'admin, database missing → createDatabase as admin, then table',
    observed: { ...ready, databaseExists: false, nodeLogin: 'databaseMissing', table: undefined },
    steps: [{ kind: 'createDatabase', database: 'blockchain', owner: 'anylog', as: 'admin' }, ...tableSteps],
  },
  {
    name: 'table exists, one index missing → that index',
    observed: { ...ready, table: { exists: true, indexes: ['hash_index'] } },
    steps: [{ kind: 'createLedgerIndexes', indexes: ['time_index'] }],
  },
  {
    name: 'table missing → table and both indexes',
    observed: { ...ready, table: { exists: false, indexes: [] } },
    steps: tableSteps,
  },
  {
    name: 'no admin, bad password → LedgerAuthFailed',
    observed: {
      admin: false,
      role: undefined,
      databaseExists: undefined,
      nodeLogin: 'authFailed',
      table: undefined,
    },
    steps: [],
    blocked: 'LedgerAuthFailed',
  },
  {
    name: 'no admin, database missing, no CREATEDB → DatabaseMissing',
    observed: { admin: false, role, databaseExists: false, nodeLogin: 'databaseMissing', table: undefined },
    steps: [],
    blocked: 'DatabaseMissing',
  },
  {
    name: 'no admin, database missing, CREATEDB → createDatabase as node',
    observed: {
      admin: false,
      role: { ...role, createDb: true },
      databaseExists: false,
      nodeLogin: 'databaseMissing',
      table: undefined,
    },
    steps: [{ kind: 'createDatabase', database: 'blockchain', owner: 'anylog', as: 'node' }, ...tableSteps],
  },
  {
    name: 'no admin, database missing, role unreadable → try createDatabase as node',
    observed: {
      admin: false,
      role: undefined,
      databaseExists: false,
      nodeLogin: 'databaseMissing',
      table: undefined,
    },
    steps: [{ kind: 'createDatabase', database: 'blockchain', owner: 'anylog', as: 'node' }, ...tableSteps],
  },
];

for (const row of rows) {
  t.test(row.name, async (t) => {
    const plan = planLedger(row.observed, desired);
    t.same(plan.steps, row.steps);
    t.equal(plan.blocked?.reason, row.blocked);
  });
}

t.test('blocking messages name the database and the role', async (t) => {
  const plan = planLedger(
    { admin: false, role, databaseExists: false, nodeLogin: 'databaseMissing', table: undefined },
    desired,
  );
  t.match(plan.blocked?.message, /"blockchain"/);
  t.match(plan.blocked?.message, /"anylog"/);
});
