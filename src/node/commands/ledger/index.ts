// Placeholder: the ledger engineer replaces this file with the real ledger command list (anylog-node.md §4).
// commands/index.ts aggregates LEDGER_COMMANDS with the core commands.
import type { CommandDef } from '../../ports/command.js';

export const LEDGER_COMMANDS: readonly CommandDef[] = [];
