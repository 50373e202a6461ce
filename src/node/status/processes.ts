// `get processes`: the seed document's rows with Running / Not declared, as the
// four-space-prefixed table or the json.dumps object. Pure: built from a snapshot of the node's state.
import type { RestServerInfo, ServerAddress } from '../ports/network.js';
import { pyDumps, type PlainJson } from './py-json.js';
import { renderTable } from './table.js';
import { PROCESS_ROW_NAMES } from '../../contract/processes.js';

export const PROCESS_ROWS = PROCESS_ROW_NAMES;

export interface ProcessesSnapshot {
  readonly tcp: ServerAddress | undefined;
  readonly rest: RestServerInfo | undefined;
  /** Status detail of a running synchronizer, undefined when not running. */
  readonly syncDetail: string | undefined;
  readonly runningSchedulers: readonly number[];
}

export type ProcessRow = readonly [name: string, status: string, details: string];

function listening(address: ServerAddress): string {
  const ext = `${address.externalIp}:${address.externalPort}`;
  const int = `${address.internalIp}:${address.internalPort}`;
  return ext === int ? `Listening on: ${ext}` : `Listening on: ${ext} and ${int}`;
}

function schedulerLabel(id: number): string {
  if (id === 0) return ' [0 (system)]';
  if (id === 1) return ' [1 (user)]';
  return ` [${id}]`;
}

function rowFor(name: string, s: ProcessesSnapshot): ProcessRow {
  const running = (details: string): ProcessRow => [name, 'Running', details];
  const idle: ProcessRow = [name, 'Not declared', name === 'Message Broker' ? 'No active connection' : ''];
  switch (name) {
    case 'TCP':
      return s.tcp === undefined ? idle : running(`${listening(s.tcp)}, Threads Pool: ${s.tcp.threads}`);
    case 'REST':
      return s.rest === undefined
        ? idle
        : running(
            `${listening(s.rest)}, Threads Pool: ${s.rest.threads}, Timeout: ${s.rest.timeoutSeconds}, SSL: ${s.rest.tls === undefined ? 'False' : 'True'}`,
          );
    case 'Blockchain Sync':
      return s.syncDetail === undefined ? idle : running(s.syncDetail);
    case 'Scheduler':
      return s.runningSchedulers.length === 0
        ? idle
        : running(
            `Schedulers IDs in use:${[...s.runningSchedulers]
              .sort((a, b) => a - b)
              .map(schedulerLabel)
              .join('')}`,
          );
    default:
      return idle;
  }
}

export function processRows(snapshot: ProcessesSnapshot): ProcessRow[] {
  return PROCESS_ROWS.map((name) => rowFor(name, snapshot));
}

export function renderProcessesText(snapshot: ProcessesSnapshot): string {
  return renderTable({
    titles: ['Process', 'Status', 'Details'],
    rows: processRows(snapshot),
    prefix: '    ',
  });
}

export function renderProcessesJson(snapshot: ProcessesSnapshot): string {
  const out: Record<string, PlainJson> = {};
  for (const [name, status, details] of processRows(snapshot)) {
    out[name] = details === '' ? { Status: status } : { Status: status, Details: details };
  }
  return pyDumps(out);
}
