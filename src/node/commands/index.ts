// Every command of the node: the core families (status, node, servers, scheduler, help) plus the ledger and
// network engineers' lists. node/main.ts passes ALL_COMMANDS to the Interpreter (which adds its own
// script built-ins: print, echo, wait, process).
import type { CommandDef } from '../ports/command.js';
import { HELP_COMMANDS } from './help/index.js';
import { LEDGER_COMMANDS } from './ledger/index.js';
import { NETWORK_COMMANDS } from './network/index.js';
import { NODE_COMMANDS } from './node.js';
import { SCHEDULER_COMMANDS } from './scheduler.js';
import { SERVER_STATUS_COMMANDS } from './server-status.js';
import { SERVER_COMMANDS } from './servers.js';
import { STATUS_COMMANDS } from './status.js';

export const CORE_COMMANDS: readonly CommandDef[] = [
  ...STATUS_COMMANDS,
  ...SERVER_STATUS_COMMANDS,
  ...NODE_COMMANDS,
  ...SERVER_COMMANDS,
  ...SCHEDULER_COMMANDS,
  ...HELP_COMMANDS,
];

export const ALL_COMMANDS: readonly CommandDef[] = [
  ...CORE_COMMANDS,
  ...LEDGER_COMMANDS,
  ...NETWORK_COMMANDS,
];
