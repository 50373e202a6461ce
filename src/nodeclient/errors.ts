// Errors of the operator's node REST client: an
// unreachable node is temporary; a node that answered with an AnyLog error carries its err_code and is
// temporary or permanent by HTTP status; a body that does not match src/contract/rest.ts is a response error.
import { AppError } from '../common/errors.js';
import type { StatusCode } from '../contract/status-codes.js';

export type UnreachableCause = 'timeout' | 'connect' | 'aborted';

/** The node could not be reached, or did not answer in time. Always temporary. */
export class NodeUnreachableError extends AppError {
  readonly url: string;
  readonly reachCause: UnreachableCause;
  constructor(url: string, reachCause: UnreachableCause, detail: string, cause?: unknown) {
    super('ERR_NODE_UNREACHABLE', `node ${url} unreachable (${reachCause}): ${detail}`, {
      retryable: true,
      cause,
      details: { url, reachCause },
    });
    this.url = url;
    this.reachCause = reachCause;
  }
}

export interface NodeRejection {
  readonly httpStatus: number;
  readonly errCode: StatusCode;
  readonly errText: string;
  readonly localMsg?: string;
  readonly command: string;
}

/** Retrying can help after a 5xx (node not ready, ledger not connected, peer timeout); 4xx is permanent. */
function isTemporaryStatus(httpStatus: number): boolean {
  return httpStatus >= 500;
}

/** The node answered with its JSON error body (`err_code`, `err_text`, …). */
export class NodeRejectedError extends AppError {
  readonly httpStatus: number;
  readonly errCode: StatusCode;
  readonly errText: string;
  readonly localMsg: string | undefined;
  readonly command: string;
  constructor(r: NodeRejection) {
    const detail = r.localMsg === undefined ? '' : `: ${r.localMsg}`;
    super('ERR_NODE_REJECTED', `node rejected '${r.command}' with ${r.errCode} ${r.errText}${detail}`, {
      retryable: isTemporaryStatus(r.httpStatus),
      details: { httpStatus: r.httpStatus, errCode: r.errCode, command: r.command },
    });
    this.httpStatus = r.httpStatus;
    this.errCode = r.errCode;
    this.errText = r.errText;
    this.localMsg = r.localMsg;
    this.command = r.command;
  }
}

/** The node answered, but not with a body the contract allows (wrong JSON, wrong shape, odd status). */
export class NodeResponseError extends AppError {
  readonly httpStatus: number;
  constructor(command: string, httpStatus: number, problem: string) {
    super('ERR_NODE_RESPONSE', `unexpected answer to '${command}' (HTTP ${httpStatus}): ${problem}`, {
      retryable: true,
      details: { httpStatus, command },
    });
    this.httpStatus = httpStatus;
  }
}

/** A value that cannot be placed in an AnyLog command safely (the CRD rules should have prevented it). */
export class UnsafeCommandValueError extends AppError {
  constructor(what: string, value: string) {
    super('ERR_INTERNAL', `${what} ${JSON.stringify(value)} cannot be used in an AnyLog command`);
  }
}
