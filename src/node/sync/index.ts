// Sync: the synchronizer, which is both the node side (ledger requests,
// self-sync, installing received ledgers) and the master side (serving `event get_blockchain`).
export { createSynchronizer, Synchronizer, type SynchronizerOptions } from './synchronizer.js';
export { LedgerServer, masterCopyName, type DumpResult } from './serve.js';
export { installLedgerText, withLedger } from './install.js';
