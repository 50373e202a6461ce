// Other status outputs: `get status`, `get node name`, `get version`,
// `get connections`, `get dictionary`, `get synchronizer`, `get scheduler`. Pure renderers over snapshots.
import type { RestServerInfo, ServerAddress } from '../ports/network.js';
import type { SyncStatus, TaskInfo } from '../ports/runtime.js';
import { formatRepeat } from '../interpreter/time-value.js';
import { isSecretKey, MASK } from '../interpreter/secrets.js';
import { pyDumps, type PlainJson } from './py-json.js';
import { renderTable } from './table.js';

export interface NameSnapshot {
  readonly nodeName: string;
  readonly internalIp: string;
  readonly tcp: ServerAddress | undefined;
}

/** `<name>@<ext ip>:<ext port>`, or `<name>@<internal ip>` before a TCP server runs. */
export function nodeNameText(s: NameSnapshot): string {
  return s.tcp === undefined
    ? `${s.nodeName}@${s.internalIp}`
    : `${s.nodeName}@${s.tcp.externalIp}:${s.tcp.externalPort}`;
}

export function statusTextOutput(s: NameSnapshot, json: boolean): string {
  const name = nodeNameText(s);
  return json ? pyDumps({ assigned_name: name, status: 'running', profiling: false }) : `${name} running`;
}

export function versionOutput(version: string, s: NameSnapshot, json: boolean): string {
  const text = `AnyLog Version: ${version}`;
  return json ? pyDumps({ version: text, node_name: nodeNameText(s) }) : text;
}

function connectionCells(server: ServerAddress | undefined): [string, string, string] {
  if (server === undefined) return ['Not declared', 'Not declared', 'Not declared'];
  const local = `${server.internalIp}:${server.internalPort}`;
  return [
    `${server.externalIp}:${server.externalPort}`,
    local,
    server.bind ? local : `0.0.0.0:${server.internalPort}`,
  ];
}

export function connectionsOutput(
  tcp: ServerAddress | undefined,
  rest: RestServerInfo | undefined,
  json: boolean,
): string {
  const rows: [string, [string, string, string]][] = [
    ['TCP', connectionCells(tcp)],
    ['REST', connectionCells(rest)],
    ['Messaging', connectionCells(undefined)],
  ];
  if (json) {
    const out: Record<string, PlainJson> = {};
    for (const [name, [external, local, bind]] of rows) out[name] = { external, local, bind };
    return pyDumps(out);
  }
  return renderTable({
    titles: ['Type', 'External Address', 'Internal Address', 'Bind Address'],
    rows: rows.map(([name, cells]) => [name, ...cells]),
  });
}

export function dictionaryOutput(
  entries: ReadonlyArray<readonly [string, string]>,
  filter: string | undefined,
  json: boolean,
): string {
  const rows = entries
    .filter(([k]) => filter === undefined || k.includes(filter))
    .map(([k, v]) => [k, isSecretKey(k) ? MASK : v] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (json) return pyDumps(Object.fromEntries(rows));
  return renderTable({ titles: ['Key', 'Value'], rows });
}

function sinceUpdate(lastMs: number | undefined, nowMs: number): string {
  if (lastMs === undefined) return 'Not updated';
  const total = Math.max(0, Math.floor((nowMs - lastMs) / 1000));
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(Math.floor(total / 3600))}:${pad(Math.floor((total % 3600) / 60))}:${pad(total % 60)}`;
}

export function synchronizerOutput(
  s: SyncStatus,
  extra: { metadataVersion: string; policies: number; nowMs: number },
): string {
  return renderTable({
    titles: [
      'Status',
      'Sync\nSource',
      'Connection',
      'Sync\nTime',
      'Metadata Version',
      'Time\nSince Update',
      'Calls',
      'Loads',
      'Policies',
      'Sync OK',
      'Sync Err',
    ],
    rows: [
      [
        s.running ? 'Running' : 'Not Running',
        s.settings?.source ?? '',
        s.settings?.connection ?? '',
        s.settings?.intervalSeconds ?? '',
        extra.metadataVersion,
        sinceUpdate(s.lastUpdateMs, extra.nowMs),
        s.calls,
        s.loads,
        extra.policies,
        s.syncOk,
        s.syncErr,
      ],
    ],
  });
}

export interface SchedulerSnapshot {
  readonly id: number;
  readonly running: boolean;
  readonly tasks: readonly TaskInfo[];
}

export function schedulerOutput(s: SchedulerSnapshot): string {
  const head = `\r\nScheduler ID:     ${s.id}\r\nScheduler Status: ${s.running ? 'Running' : 'Not Running'}`;
  const table = renderTable({
    header: 'Scheduled Tasks',
    titles: ['ID', 'Mode', 'Name', 'Counter', 'Run Status', 'Start-Time', 'Repeat-Time', 'Task'],
    rows: s.tasks.map((t) => [
      t.id,
      t.mode,
      t.name,
      t.counter,
      t.runStatus,
      t.startTime,
      formatRepeat(t.repeatSeconds),
      t.command,
    ]),
  });
  return head + table;
}

export function allSchedulersOutput(list: readonly SchedulerSnapshot[]): string {
  return list.map((s) => `\r\n${schedulerOutput(s)}`).join('');
}
