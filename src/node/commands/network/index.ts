// The network command list that commands/index.ts registers: `run client`,
// `event metadata_ping`, `event metadata_pong`, other `event …`, and `file write`. (`event get_blockchain`
// belongs to the ledger commands.)
import type { CommandDef } from '../../ports/command.js';
import { runClient } from './run-client.js';
import { fileWrite, metadataPing, metadataPong, otherEvent } from './events.js';

export const NETWORK_COMMANDS: readonly CommandDef[] = [
  runClient,
  metadataPing,
  metadataPong,
  otherEvent,
  fileWrite,
];

export { aggregateReplies, labelText } from './aggregate.js';
export { wireText } from './run-client.js';
