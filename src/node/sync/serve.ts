// Master side of sync: serving `event get_blockchain <dest file> <hash> <trace>`.
// Dump the ledger table, compare md5 with the requester's version, send the dump as a GENERIC 2 file
// transfer to `<dest>.master_id_<n>.<ext>`; a repeated md5 to the same requester within 5 s is delayed
// by a timer (never by blocking a worker). The state between requests (copy counter, what each requester
// was sent, the table cursor) is held by the node's LedgerServer, which its synchronizer owns.
// A requester that is current is answered from a TableCursor (count + rows after the last dump) without
// dumping the table; a copy is taken from the node's own ledger file when that file is the table's dump
// (md5 equal), else the table is dumped.
import { createHash } from 'node:crypto';
import { LEDGER_LOGICAL_DBMS } from '../../contract/ledger-ddl.js';
import { fail, ok, type CommandResult } from '../ports/command.js';
import type { NodeServices, ServeRequest } from '../ports/runtime.js';
import { LedgerError } from '../ledger/errors.js';
import { tableRowsOf, type TableRow } from '../ledger/table-rows.js';
import { ledgerText } from '../ledger/policy-line.js';
import { checkTable, TableCursor } from './table-cursor.js';
import { STATUS, type StatusCode } from '../../contract/status-codes.js';

const REPEAT_WINDOW_MS = 5000;

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

/** `…/blockchain.new` → `…/blockchain.master_id_<n>.new`; without an extension `<file>.master_id_<n>`. */
export function masterCopyName(dest: string, n: number): string {
  const slash = Math.max(dest.lastIndexOf('/'), dest.lastIndexOf('\\'));
  const dot = dest.lastIndexOf('.');
  if (dot <= slash + 1) return `${dest}.master_id_${n}`;
  return `${dest.slice(0, dot)}.master_id_${n}${dest.slice(dot)}`;
}

async function tracePrint(node: NodeServices, requester: string, text: string): Promise<void> {
  try {
    // The message is one word of `print`, so its spaces travel as TABs.
    await node.peers.sendCommand([requester], `print ${text.replaceAll(' ', '\t')}`, { wait: false });
  } catch (err) {
    node.logger.debug(
      { requester, err: err instanceof Error ? err.message : String(err) },
      'trace print failed',
    );
  }
}

/** The requester is current; with trace a `print` says so. */
async function notChanged(node: NodeServices, request: ServeRequest, md5: string): Promise<CommandResult> {
  if (request.args[2] === '2')
    await tracePrint(
      node,
      request.requester,
      `Master Process: Hash value of ledger was not changed: '${md5}'`,
    );
  return ok();
}

/** The master side of one node: dumps its ledger table and serves ledger requests from peers. */
export class LedgerServer {
  /** The `<n>` of the last `master_id_<n>` copy name (1–9, cycling). */
  private copyId = 0;
  /** What each requester was sent last, and when (the 5 s repeat window). */
  private readonly sent = new Map<string, { md5: string; at: number }>();
  /** The table as of the last dump or check, for the store it was read from. */
  private cursor: { readonly store: object; readonly cursor: TableCursor } | undefined;

  constructor(private readonly node: NodeServices) {}

  /** The ledger dump a peer is sent (each policy followed by `\n`) and its md5. */
  async dump(): Promise<DumpResult> {
    const store = this.node.dbms.get(LEDGER_LOGICAL_DBMS);
    if (store === undefined)
      return {
        ok: false,
        code: STATUS.PULL_FAILED,
        detail: `Database '${LEDGER_LOGICAL_DBMS}' not connected`,
      };
    try {
      if (!(await store.tableExists()))
        return { ok: false, code: STATUS.PULL_FAILED, detail: 'Table ledger not found' };
      const rowsStore = tableRowsOf(store);
      if (rowsStore !== undefined) {
        const rows = await rowsStore.dumpRows();
        if (rows.length === 0)
          return { ok: false, code: STATUS.EMPTY_BLOCKCHAIN, detail: 'Empty ledger table' };
        const cursor = TableCursor.fromRows(rows);
        this.cursor = { store, cursor };
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

  /** Serve one request. The result is what the requester gets as an `echo` (errors) or nothing. */
  async serve(request: ServeRequest): Promise<CommandResult> {
    const node = this.node;
    if (request.args.length < 3) return fail(STATUS.MISSING_FILE_NAME);
    const trace = request.args[2] === '2';
    const known = await this.currentMd5();
    if (known !== undefined && known === request.args[1]) return notChanged(node, request, known);
    const dump = (known === undefined ? undefined : this.fileCopy(known)) ?? (await this.dump());
    if (!dump.ok)
      return fail(
        dump.code === STATUS.EMPTY_BLOCKCHAIN ? STATUS.EMPTY_BLOCKCHAIN : STATUS.PULL_FAILED,
        dump.detail,
      );
    if (dump.md5 === request.args[1]) return notChanged(node, request, dump.md5);
    const previous = this.sent.get(request.requester);
    const now = node.clock.now();
    if (previous !== undefined && previous.md5 === dump.md5 && now - previous.at < REPEAT_WINDOW_MS) {
      node.clock.setTimer(REPEAT_WINDOW_MS - (now - previous.at), () => {
        void this.delayedTransfer(request, trace, now);
      });
      return ok();
    }
    await this.transfer(request, dump, trace);
    return ok();
  }

  /**
   * The dump from this node's own ledger file when the file holds exactly the table's dump (same md5: a
   * master whose self-sync is current), without reading the table. Text and md5 are taken together.
   */
  private fileCopy(md5: string): DumpResult | undefined {
    const file = this.node.ledgerFile;
    if (file.metadataVersion() !== md5) return undefined;
    const exact = file.exactText();
    if (exact !== undefined) return { ok: true, text: exact, md5 };
    const text = ledgerText(file.policies());
    // Skipped or empty lines would make the text differ from the file's bytes: check before trusting it.
    if (text === '' || createHash('md5').update(text, 'utf8').digest('hex') !== md5) return undefined;
    return { ok: true, text, md5 };
  }

  /** md5 of the current dump when the table only grew by appends since the last dump/check, else undefined. */
  private async currentMd5(): Promise<string | undefined> {
    const store = this.node.dbms.get(LEDGER_LOGICAL_DBMS);
    const last = this.cursor;
    if (store === undefined || last === undefined || last.store !== store) return undefined;
    const check = await checkTable(store, last.cursor);
    if (!check.appended) return undefined;
    this.cursor = { store, cursor: check.cursor };
    return check.cursor.md5;
  }

  private async transfer(
    request: ServeRequest,
    dump: { text: string; md5: string },
    trace: boolean,
  ): Promise<void> {
    const node = this.node;
    this.copyId = (this.copyId % 9) + 1;
    const name = masterCopyName((request.args[0] ?? '').replace(/\t/g, ' '), this.copyId);
    this.sent.set(request.requester, { md5: dump.md5, at: node.clock.now() });
    try {
      await node.peers.sendFile(request.requester, name, Buffer.from(dump.text, 'utf8'), 2);
      if (trace)
        await tracePrint(
          node,
          request.requester,
          `Master copied blockchain file with hash value: ${dump.md5}`,
        );
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
   * The delayed copy (`run blockchain sync` with a delay) sends the ledger as it is when the delay ends (a dump taken at request
   * time could arrive after a newer copy and roll the requester back), and nothing when the requester was
   * sent that content after the delay was set or already has it.
   */
  private async delayedTransfer(request: ServeRequest, trace: boolean, scheduledAt: number): Promise<void> {
    const dump = await this.dump();
    if (!dump.ok || dump.md5 === request.args[1]) return;
    const last = this.sent.get(request.requester);
    if (last !== undefined && last.md5 === dump.md5 && last.at > scheduledAt) return;
    await this.transfer(request, dump, trace);
  }
}
