// The node's ledger layer (docs/design/node-runtime.md §8): factories wired by node/main.ts. Commands never import
// this folder's stores; they use the DbmsRegistry and LedgerFile ports on NodeServices.
export { createDbmsRegistry, type DbmsRegistryOptions } from './registry.js';
export { createLedgerFile, type LedgerFileOptions } from './ledger-file.js';
export { LedgerError, LedgerFileError, isLedgerError, type LedgerFailure } from './errors.js';
export { parseLedgerText, parsePolicyLine, ledgerText } from './policy-line.js';
