// The node's ledger adapters: factories wired by node/assemble.ts. Commands never
// import this folder; they use the DbmsRegistry, LedgerPush and LedgerFile ports on NodeServices.
export { createDbmsRegistry, type DbmsRegistryOptions } from './registry.js';
export { createLedgerFile, type LedgerFileOptions } from './ledger-file.js';
export { createLedgerPush } from './push.js';
export { LedgerError, LedgerFileError, isLedgerError, type LedgerFailure } from './errors.js';
export { parseLedgerText, parsePolicyLine, ledgerText } from './policy-line.js';
