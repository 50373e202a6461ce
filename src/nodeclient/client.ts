// The NodeClient port: everything the operator asks an AnyLog node over REST (reach the
// node, post and read the master policy, read its processes, drop the policy on delete). The reconcile steps depend on this interface; src/nodeclient/http.ts implements it on fetch.
// Results are validated and typed; failures are the errors of src/nodeclient/errors.ts.
import type { ProcessInfo } from '../contract/processes.js';
import type { PolicyBody } from './commands.js';

export interface CallOptions {
  /** Cancels the call (the reconcile pass was aborted); combined with the client's own timeouts. */
  readonly signal?: AbortSignal;
}

export interface NodeStatus {
  /** `<node name>@<ip>:<port>` */
  readonly assignedName: string;
  readonly status: string;
  readonly profiling: boolean;
}

/** A master policy found on the node, with its full inner object as the node returned it. */
export interface MasterPolicy {
  readonly id: string;
  readonly name: string;
  readonly company: string;
  readonly attributes: Readonly<Record<string, unknown>>;
}

export interface MasterQuery {
  readonly nodeName: string;
  readonly company: string;
}

/** `inserted`, or `duplicate` when the node already had a policy with this id (counts as success). */
export type InsertOutcome = 'inserted' | 'duplicate';
/** `dropped`, or `notFound` when the ledger had no such row (counts as success). */
export type DropOutcome = 'dropped' | 'notFound';

export interface NodeClient {
  /** The base URL the client talks to (`http://<podIP>:<restPort>/`), for messages and logs. */
  readonly url: string;
  getStatus(options?: CallOptions): Promise<NodeStatus>;
  /** `get processes where format = json`, as an ordered list. */
  getProcesses(options?: CallOptions): Promise<ProcessInfo[]>;
  /** Master policies whose `name` and `company` equal the query exactly (the node matches case-insensitively). */
  queryMasterPolicies(query: MasterQuery, options?: CallOptions): Promise<MasterPolicy[]>;
  insertPolicy(policy: PolicyBody, options?: CallOptions): Promise<InsertOutcome>;
  dropPolicy(id: string, options?: CallOptions): Promise<DropOutcome>;
  /** Every policy of the ledger as the node keeps it (`blockchain get *`), ids and dates included. */
  readLedger(options?: CallOptions): Promise<readonly Readonly<Record<string, unknown>>[]>;
  /** A master stores the policy unchanged, keeping its id and date; a known id counts as stored. */
  pushPolicy(policy: Readonly<Record<string, unknown>>, options?: CallOptions): Promise<void>;
}
