// Sync (docs/design/node-runtime.md §9): the synchronizer (node side, self-sync), master-side serving of
// `event get_blockchain`, and the installer the TCP server calls for a received ledger file.
import type { NodeServices } from '../ports/runtime.js';
import { Synchronizer } from './synchronizer.js';
import { installLedgerText } from './install.js';
import { readFile, rm } from 'node:fs/promises';

/** Called by the TCP server on the last frame of an accepted ledger transfer (GENERIC 2, docs/design/node-runtime.md §6.8, §9.4). */
export async function installReceivedLedger(node: NodeServices, filePath: string): Promise<void> {
  if (node.sync instanceof Synchronizer) {
    await node.sync.installFile(filePath);
    return;
  }
  try {
    const settings = node.sync.status().settings;
    const text = await readFile(filePath, 'utf8');
    await installLedgerText(node, text, {
      connection: settings?.connection ?? '',
      destDbms: settings?.dest.includes('dbms') ?? false,
    });
  } finally {
    await rm(filePath, { force: true });
  }
}

export { createSynchronizer, Synchronizer, type SynchronizerOptions } from './synchronizer.js';
export { serveGetBlockchain, dumpLedger, masterCopyName, type ServeRequest } from './serve.js';
export { installLedgerText, withLedger } from './install.js';
