// The master's ledger through its REST API, with the project's node client: `blockchain get *` reads every
// policy as the node keeps it (id and date included); `blockchain push ignore <policy>` stores a policy
// unchanged on a master, and a policy that already has its id and date keeps them, so a restored ledger
// has the same ids. An id that is already there counts as restored, so running a restore again succeeds.
import { createHttpNodeClient, type NodeClient } from '../nodeclient/index.js';
import { isRecord } from '../shared/is-record.js';

/** Backups and restores may meet a large ledger: a longer request timeout than the operator's probes. */
const REQUEST_TIMEOUT_MS = 60_000;

/** A node client for `http://<host>:<port>/`. */
export function clientFor(url: string): NodeClient {
  const { hostname, port } = new URL(url);
  return createHttpNodeClient({
    host: hostname.replace(/^\[|\]$/g, ''),
    port: Number(port === '' ? 80 : port),
    requestTimeoutMs: REQUEST_TIMEOUT_MS,
  });
}

/** A backup entry that is not a policy object; restore refuses the file rather than skip it. */
export class NotAPolicyError extends Error {
  constructor(index: number) {
    super(`entry ${index} of the backup is not a policy object`);
    this.name = 'NotAPolicyError';
  }
}

/** Every policy of the ledger, in the node's order. */
export async function readPolicies(client: NodeClient): Promise<unknown[]> {
  return [...(await client.readLedger())];
}

/** Checks every entry first, then stores each policy as is; returns how many were sent. */
export async function pushPolicies(client: NodeClient, policies: readonly unknown[]): Promise<number> {
  const checked = policies.map((p, i) => {
    if (!isRecord(p)) throw new NotAPolicyError(i);
    return p;
  });
  for (const policy of checked) await client.pushPolicy(policy);
  return checked.length;
}
