// Public surface of the operator's node REST client (src/nodeclient): the NodeClient port, its HTTP
// implementation, the command builders and the errors. Reconcile steps import from here.
export type {
  CallOptions,
  DropOutcome,
  InsertOutcome,
  MasterPolicy,
  MasterQuery,
  NodeClient,
  NodeStatus,
} from './client.js';
export {
  HttpNodeClient,
  createHttpNodeClient,
  USER_AGENT,
  type HttpNodeClientOptions,
  type NodeClientTls,
} from './http.js';
export { policyText, quoteValue, type PolicyBody, type PolicyValue } from './commands.js';
export {
  NodeRejectedError,
  NodeResponseError,
  NodeUnreachableError,
  UnsafeCommandValueError,
} from './errors.js';
