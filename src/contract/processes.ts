// The `get processes` contract (vectors/get-processes.json): row names in the
// node's order, statuses, the processes a master requires, and the conversion of the
// `where format = json` object keyed by process name into the ordered list the operator writes to
// `status.processes`. Pure; shared by the node runtime and the operator.

/** The rows anylog-node prints, in order. */
export const PROCESS_ROW_NAMES = Object.freeze([
  'TCP',
  'REST',
  'Operator',
  'Publisher',
  'Blockchain Sync',
  'Scheduler',
  'Distributor',
  'Blobs Archiver',
  'Consumer',
  'MQTT',
  'Message Broker',
  'SMTP',
  'Streamer',
  'Query Pool',
  'Kafka Consumer',
] as const);

export const PROCESS_STATUS = Object.freeze({ RUNNING: 'Running', NOT_DECLARED: 'Not declared' } as const);

/** Processes that must be `Running` for `ProcessesHealthy=True`. */
export const REQUIRED_PROCESSES = Object.freeze(['TCP', 'REST', 'Blockchain Sync', 'Scheduler'] as const);

/** One member of the JSON form: `{"Status": "...", "Details": "..."}` (Details only when non-empty). */
export interface ProcessJsonEntry {
  readonly Status: string;
  readonly Details?: string;
}

/** One entry of `status.processes`. */
export interface ProcessInfo {
  readonly name: string;
  readonly status: string;
  readonly details?: string;
}

/** Convert the JSON object keyed by process name into a list in the node's order (object key order). */
export function processesToList(json: Readonly<Record<string, ProcessJsonEntry>>): ProcessInfo[] {
  return Object.entries(json).map(([name, entry]) =>
    entry.Details === undefined || entry.Details === ''
      ? { name, status: entry.Status }
      : { name, status: entry.Status, details: entry.Details },
  );
}

/** The inverse: rows → the JSON object the node serialises for `get processes where format = json`. */
export function processesToJson(list: readonly ProcessInfo[]): Record<string, ProcessJsonEntry> {
  const out: Record<string, ProcessJsonEntry> = {};
  for (const p of list) {
    out[p.name] =
      p.details === undefined || p.details === ''
        ? { Status: p.status }
        : { Status: p.status, Details: p.details };
  }
  return out;
}

/** Required processes that are absent or not `Running`, in REQUIRED_PROCESSES order. */
export function notRunningRequired(list: readonly ProcessInfo[]): string[] {
  const running = new Set(list.filter((p) => p.status === PROCESS_STATUS.RUNNING).map((p) => p.name));
  return REQUIRED_PROCESSES.filter((name) => !running.has(name));
}
