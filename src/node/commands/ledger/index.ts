// The ledger command family (`blockchain …`, `connect dbms`, `run blockchain sync`, `event get_blockchain`):
// aggregated here and registered by node/commands/index.ts.
import type { CommandDef } from '../../ports/command.js';
import { DBMS_COMMANDS } from './dbms.js';
import { GET_COMMANDS } from './get.js';
import { POLICY_COMMANDS } from './policy.js';
import { DROP_COMMANDS } from './drop.js';
import { SYNC_COMMANDS } from './sync.js';

export const LEDGER_COMMANDS: readonly CommandDef[] = [
  ...DBMS_COMMANDS,
  ...GET_COMMANDS,
  ...POLICY_COMMANDS,
  ...DROP_COMMANDS,
  ...SYNC_COMMANDS,
];

export { queryLedger } from './get.js';
