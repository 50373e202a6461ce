// Placeholder: the network engineer replaces this file with the real network command list (anylog-node.md §4).
// commands/index.ts aggregates NETWORK_COMMANDS with the core commands.
import type { CommandDef } from '../../ports/command.js';

export const NETWORK_COMMANDS: readonly CommandDef[] = [];
