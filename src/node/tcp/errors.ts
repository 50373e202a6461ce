// Errors of the TCP layer: invalid frames (193 Wrong header structure), failed peer
// deliveries and listen failures, each carrying the AnyLog status code that callers turn into replies.
import { AppError } from '../../common/errors.js';
import { STATUS, type StatusCode } from '../../contract/status-codes.js';

/** A malformed frame or frame sequence (logged as 193, connection closed, no reply). */
export class FrameError extends AppError {
  readonly status = STATUS.WRONG_HEADER;
  constructor(message: string) {
    super('ERR_FRAME_INVALID', message);
  }
}

/** A network failure with the AnyLog status code and detail the command reports. */
export class PeerError extends AppError {
  readonly status: StatusCode;
  readonly detail: string;
  constructor(status: StatusCode, detail: string, options: { cause?: unknown; retryable?: boolean } = {}) {
    super(status === STATUS.TIMEOUT ? 'ERR_PEER_TIMEOUT' : 'ERR_PEER_UNREACHABLE', detail, options);
    this.status = status;
    this.detail = detail;
  }
}

/** A server could not listen; message is the detail `Failed to listen on <ip>:<port>: <errno>` (status 15). */
export class ListenError extends AppError {
  readonly status = STATUS.NETWORK_ERROR;
  constructor(ip: string, port: number, errno: string, cause?: unknown) {
    super('ERR_CMD_FAILED', `Failed to listen on ${ip}:${port}: ${errno}`, {
      cause,
      details: { status: STATUS.NETWORK_ERROR },
    });
  }
}
