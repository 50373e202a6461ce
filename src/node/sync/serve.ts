// Master side of sync: serving `event get_blockchain <dest file> <hash> <trace>` (docs/design/node-runtime.md §9.3).
// Dump the ledger table, compare md5 with the requester's version, send the dump as a GENERIC 2 file
// transfer to `<dest>.master_id_<n>.<ext>`; a repeated md5 to the same requester within 5 s is delayed
// by a timer (never by blocking a worker). Per-node state lives in a WeakMap keyed by NodeServices.
// A requester that is current is answered from a TableCursor (count + rows after the last dump) without
// dumping the table; a copy is taken from the node's own ledger file when that file is the table's dump
// (md5 equal), else the table is dumped.
import { createHash } from 'node:crypto';
import { LEDGER_LOGICAL_DBMS } from '../../contract/ledger-ddl.js';
import { fail, ok, type CommandResult } from '../ports/command.js';
import type { NodeServices } from '../ports/runtime.js';
import { LedgerError } from '../ledger/errors.js';
import { tableRowsOf, type TableRow } from '../ledger/table-rows.js';
import { ledgerText } from '../ledger/policy-line.js';
import { asLocalLedgerFile } from '../ledger/ledger-file.js';
import { checkTable, TableCursor } from './table-cursor.js';
import { STATUS, type StatusCode } from '../../contract/status-codes.js';

const REPEAT_WINDOW_MS = 5000;

interface MasterState {
  copyId: number;
  readonly sent: Map<string, { md5: string; at: number }>;
  /** The table as of the last dump or check, for the store it was read from. */
  cursor: { readonly store: object; readonly cursor: TableCursor } | undefined;
}

const states = new WeakMap<NodeServices, MasterState>();

function stateOf(node: NodeServices): MasterState {
  let s = states.get(node);
  if (s === undefined) {
    s = { copyId: 0, sent: new Map(), cursor: undefined };
    states.set(node, s);
  }
  return s;
}

export type DumpResult =
  | {
      readonly ok: true;
      readonly text: string;
      readonly md5: string;
      /** The rows in dump order with their cursor, when the store reads sequence_ids. */
      readonly rows?: readonly TableRow[];
      readonly cursor?: TableCursor;
    }
  | { readonly ok: false; readonly code: StatusCode; readonly detail: string };

function dumpText(policies: readonly string[]): string {
  return policies.length === 0 ? '' : `${policies.join('\n')}\n`;
}

/** The ledger dump of docs/design/node-runtime.md §8.4 (each policy followed by `\n`) and its md5. */
export async function dumpLedger(node: NodeServices): Promise<DumpResult> {
  const store = node.dbms.get(LEDGER_LOGICAL_DBMS);
  if (store === undefined)
    return { ok: false, code: STATUS.PULL_FAILED, detail: `Database '${LEDGER_LOGICAL_DBMS}' not connected` };
  try {
    if (!(await store.tableExists()))
      return { ok: false, code: STATUS.PULL_FAILED, detail: 'Table ledger not found' };
    const rowsStore = tableRowsOf(store);
    if (rowsStore !== undefined) {
      const rows = await rowsStore.dumpRows();
      if (rows.length === 0)
        return { ok: false, code: STATUS.EMPTY_BLOCKCHAIN, detail: 'Empty ledger table' };
      const cursor = TableCursor.fromRows(rows);
      stateOf(node).cursor = { store, cursor };
      return { ok: true, text: dumpText(rows.map((r) => r.policy)), md5: cursor.md5, rows, cursor };
    }
    const policies = await store.dump();
    if (policies.length === 0)
      return { ok: false, code: STATUS.EMPTY_BLOCKCHAIN, detail: 'Empty ledger table' };
    const text = dumpText(policies);
    return { ok: true, text, md5: createHash('md5').update(text, 'utf8').digest('hex') };
  } catch (err) {
    if (err instanceof LedgerError) return { ok: false, code: STATUS.PULL_FAILED, detail: err.message };
    throw err;
  }
}

/**
 * The dump from this node's own ledger file when the file holds exactly the table's dump (same md5: a
 * master whose self-sync is current), without reading the table. Text and md5 are taken together.
 */
function fileCopy(node: NodeServices, md5: string): DumpResult | undefined {
  if (node.ledgerFile.metadataVersion() !== md5) return undefined;
  const exact = asLocalLedgerFile(node.ledgerFile)?.exactText();
  if (exact !== undefined) return { ok: true, text: exact, md5 };
  const text = ledgerText(node.ledgerFile.policies());
  // Skipped or empty lines would make the text differ from the file's bytes: check before trusting it.
  if (text === '' || createHash('md5').update(text, 'utf8').digest('hex') !== md5) return undefined;
  return { ok: true, text, md5 };
}

/** md5 of the current dump when the table only grew by appends since the last dump/check, else undefined. */
async function currentMd5(node: NodeServices): Promise<string | undefined> {
  const s = stateOf(node);
  const store = node.dbms.get(LEDGER_LOGICAL_DBMS);
  if (store === undefined || s.cursor === undefined || s.cursor.store !== store) return undefined;
  const check = await checkTable(store, s.cursor.cursor);
  if (!check.appended) return undefined;
  s.cursor = { store, cursor: check.cursor };
  return check.cursor.md5;
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
    // The message is one word of `print`, so its spaces travel as TABs (docs/design/node-runtime.md §6.4, §9.3).
    await node.peers.sendCommand([requester], `print ${text.replaceAll(' ', '\t')}`, { wait: false });
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

/**
 * The delayed copy of docs/design/node-runtime.md §9.3 step 5 sends the ledger as it is when the delay ends (a dump taken at request
 * time could arrive after a newer copy and roll the requester back), and nothing when the requester was
 * sent that content after the delay was set or already has it.
 */
async function delayedTransfer(
  node: NodeServices,
  request: ServeRequest,
  trace: boolean,
  scheduledAt: number,
): Promise<void> {
  const dump = await dumpLedger(node);
  if (!dump.ok || dump.md5 === request.args[1]) return;
  const last = stateOf(node).sent.get(request.requester);
  if (last !== undefined && last.md5 === dump.md5 && last.at > scheduledAt) return;
  await transfer(node, request, dump, trace);
}

/** docs/design/node-runtime.md §9.3 step 4: the requester is current; with trace a `print` says so. */
async function notChanged(node: NodeServices, request: ServeRequest, md5: string): Promise<CommandResult> {
  if (request.args[2] === '2')
    await tracePrint(
      node,
      request.requester,
      `Master Process: Hash value of ledger was not changed: '${md5}'`,
    );
  return ok();
}

/** Serve one request (docs/design/node-runtime.md §9.3). The result is what the requester gets as an `echo` (errors) or nothing. */
export async function serveGetBlockchain(node: NodeServices, request: ServeRequest): Promise<CommandResult> {
  if (request.args.length < 3) return fail(STATUS.MISSING_FILE_NAME);
  const trace = request.args[2] === '2';
  const known = await currentMd5(node);
  if (known !== undefined && known === request.args[1]) return notChanged(node, request, known);
  const dump = (known === undefined ? undefined : fileCopy(node, known)) ?? (await dumpLedger(node));
  if (!dump.ok)
    return fail(
      dump.code === STATUS.EMPTY_BLOCKCHAIN ? STATUS.EMPTY_BLOCKCHAIN : STATUS.PULL_FAILED,
      dump.detail,
    );
  if (dump.md5 === request.args[1]) return notChanged(node, request, dump.md5);
  const previous = stateOf(node).sent.get(request.requester);
  const now = node.clock.now();
  if (previous !== undefined && previous.md5 === dump.md5 && now - previous.at < REPEAT_WINDOW_MS) {
    node.clock.setTimer(REPEAT_WINDOW_MS - (now - previous.at), () => {
      void delayedTransfer(node, request, trace, now);
    });
    return ok();
  }
  await transfer(node, request, dump, trace);
  return ok();
}
