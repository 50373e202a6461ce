// Master side of sync: serving `event get_blockchain <dest file> <hash> <trace>` (anylog-node.md §9.3).
// Dump the ledger table, compare md5 with the requester's version, send the dump as a GENERIC 2 file
// transfer to `<dest>.master_id_<n>.<ext>`; a repeated md5 to the same requester within 5 s is delayed
// by a timer (never by blocking a worker). Per-node state lives in a WeakMap keyed by NodeServices.
import { createHash } from 'node:crypto';
import { LEDGER_LOGICAL_DBMS } from '../../contract/ledger-ddl.js';
import { fail, ok, type CommandResult } from '../ports/command.js';
import type { NodeServices } from '../ports/runtime.js';
import { LedgerError } from '../ledger/errors.js';

const REPEAT_WINDOW_MS = 5000;

interface MasterState {
  copyId: number;
  readonly sent: Map<string, { md5: string; at: number }>;
}

const states = new WeakMap<NodeServices, MasterState>();

function stateOf(node: NodeServices): MasterState {
  let s = states.get(node);
  if (s === undefined) {
    s = { copyId: 0, sent: new Map() };
    states.set(node, s);
  }
  return s;
}

export type DumpResult =
  | { readonly ok: true; readonly text: string; readonly md5: string }
  | { readonly ok: false; readonly code: number; readonly detail: string };

/** The ledger dump of §8.4 (each policy followed by `\n`) and its md5. */
export async function dumpLedger(node: NodeServices): Promise<DumpResult> {
  const store = node.dbms.get(LEDGER_LOGICAL_DBMS);
  if (store === undefined)
    return { ok: false, code: 68, detail: `Database '${LEDGER_LOGICAL_DBMS}' not connected` };
  try {
    if (!(await store.tableExists())) return { ok: false, code: 68, detail: 'Table ledger not found' };
    const rows = await store.dump();
    if (rows.length === 0) return { ok: false, code: 59, detail: 'Empty ledger table' };
    const text = rows.map((r) => `${r}\n`).join('');
    return { ok: true, text, md5: createHash('md5').update(text, 'utf8').digest('hex') };
  } catch (err) {
    if (err instanceof LedgerError) return { ok: false, code: 68, detail: err.message };
    throw err;
  }
}

/** `…/blockchain.new` → `…/blockchain.master_id_<n>.new`; without an extension `<file>.master_id_<n>`. */
export function masterCopyName(dest: string, n: number): string {
  const slash = Math.max(dest.lastIndexOf('/'), dest.lastIndexOf('\\'));
  const dot = dest.lastIndexOf('.');
  if (dot <= slash + 1) return `${dest}.master_id_${n}`;
  return `${dest.slice(0, dot)}.master_id_${n}${dest.slice(dot)}`;
}

export interface ServeRequest {
  /** Words after `event get_blockchain`. */
  readonly args: readonly string[];
  /** The requester's `ip:port`. */
  readonly requester: string;
}

async function tracePrint(node: NodeServices, requester: string, text: string): Promise<void> {
  try {
    await node.peers.sendCommand([requester], `print ${text}`, { wait: false });
  } catch (err) {
    node.logger.debug(
      { requester, err: err instanceof Error ? err.message : String(err) },
      'trace print failed',
    );
  }
}

async function transfer(
  node: NodeServices,
  request: ServeRequest,
  dump: { text: string; md5: string },
  trace: boolean,
): Promise<void> {
  const s = stateOf(node);
  s.copyId = (s.copyId % 9) + 1;
  const name = masterCopyName((request.args[0] ?? '').replace(/\t/g, ' '), s.copyId);
  s.sent.set(request.requester, { md5: dump.md5, at: node.clock.now() });
  try {
    await node.peers.sendFile(request.requester, name, Buffer.from(dump.text, 'utf8'), 2);
    if (trace)
      await tracePrint(node, request.requester, `Master copied blockchain file with hash value: ${dump.md5}`);
  } catch (err) {
    const code =
      typeof err === 'object' && err !== null && 'status' in err && typeof err.status === 'number'
        ? err.status
        : 208;
    node.logger.warn({ requester: request.requester, code }, 'sync: failed to copy the ledger to a node');
    if (trace)
      await tracePrint(
        node,
        request.requester,
        `Master Process: Failed to copy file from Master to Node with error ${code}`,
      );
  }
}

/** Serve one request (§9.3). The result is what the requester gets as an `echo` (errors) or nothing. */
export async function serveGetBlockchain(node: NodeServices, request: ServeRequest): Promise<CommandResult> {
  if (request.args.length < 3) return fail(64);
  const trace = request.args[2] === '2';
  const dump = await dumpLedger(node);
  if (!dump.ok) return fail(dump.code === 59 ? 59 : 68, dump.detail);
  if (dump.md5 === request.args[1]) {
    if (trace)
      await tracePrint(
        node,
        request.requester,
        `Master Process: Hash value of ledger was not changed: '${dump.md5}'`,
      );
    return ok();
  }
  const previous = stateOf(node).sent.get(request.requester);
  const now = node.clock.now();
  if (previous !== undefined && previous.md5 === dump.md5 && now - previous.at < REPEAT_WINDOW_MS) {
    node.clock.setTimer(REPEAT_WINDOW_MS - (now - previous.at), () => {
      void transfer(node, request, dump, trace);
    });
    return ok();
  }
  await transfer(node, request, dump, trace);
  return ok();
}
