// Outgoing delivery of one message over a new TCP connection: connect with a 6 s
// timeout, write every frame, half-close, never read. ECONNREFUSED fails at once; only timeouts and
// unreachable host/network errors are retried (3 attempts in all). Failure → PeerError 208.
import { connect, type Socket } from 'node:net';
import { PeerError } from './errors.js';
import { STATUS } from '../../contract/status-codes.js';

export interface DeliverOptions {
  readonly connectTimeoutMs: number;
  readonly attempts: number;
  readonly signal?: AbortSignal;
}

export const DEFAULT_DELIVER: DeliverOptions = { connectTimeoutMs: 6000, attempts: 3 };

/** Idle limit once connected (a receiver that stops reading). */
const WRITE_IDLE_MS = 30_000;

const RETRYABLE = new Set(['ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN', 'EAI_AGAIN']);

class ConnectFailure extends Error {
  constructor(
    readonly errno: string,
    readonly connected: boolean,
  ) {
    super(errno);
    this.name = 'ConnectFailure';
  }
}

/** Split `ip:port` (the last colon separates the port). */
export function parseAddress(destination: string): { ip: string; port: number } | undefined {
  const at = destination.lastIndexOf(':');
  if (at <= 0) return undefined;
  const ip = destination.slice(0, at).trim();
  const portText = destination.slice(at + 1).trim();
  if (!/^\d{1,5}$/.test(portText)) return undefined;
  const port = Number(portText);
  return port > 0 && port < 65536 && ip !== '' ? { ip, port } : undefined;
}

function errnoOf(err: unknown): string {
  if (err instanceof ConnectFailure) return err.errno;
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : 'EUNKNOWN';
}

function writeAll(socket: Socket, frames: readonly Buffer[]): void {
  for (const frame of frames) socket.write(frame);
  socket.end();
}

/** One connection attempt: resolves when every byte was handed to the kernel and the socket closed. */
function attempt(
  ip: string,
  port: number,
  frames: readonly Buffer[],
  options: DeliverOptions,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let connected = false;
    const socket = connect({ host: ip, port, family: 4, noDelay: true, keepAlive: true });
    const fail = (errno: string): void => {
      socket.destroy();
      reject(new ConnectFailure(errno, connected));
    };
    const onAbort = (): void => {
      fail('EABORTED');
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    socket.setTimeout(options.connectTimeoutMs);
    socket.on('timeout', () => {
      fail('ETIMEDOUT');
    });
    socket.on('error', (err) => {
      fail(errnoOf(err));
    });
    socket.once('connect', () => {
      connected = true;
      socket.setTimeout(WRITE_IDLE_MS);
      writeAll(socket, frames);
    });
    socket.once('finish', () => {
      options.signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve();
    });
    socket.resume();
  });
}

/** Deliver frames to ip:port, retrying only timeouts / unreachable errors before any byte was sent. */
export async function deliverFrames(
  destination: string,
  frames: readonly Buffer[],
  options: DeliverOptions = DEFAULT_DELIVER,
): Promise<void> {
  const address = parseAddress(destination);
  const failure = new PeerError(STATUS.PEER_REFUSED, `Failed to create a socket using: ${destination}`);
  if (address === undefined) throw failure;
  for (let i = 1; ; i += 1) {
    try {
      await attempt(address.ip, address.port, frames, options);
      return;
    } catch (err) {
      const errno = errnoOf(err);
      const connected = err instanceof ConnectFailure && err.connected;
      if (connected || !RETRYABLE.has(errno) || i >= options.attempts || options.signal?.aborted === true) {
        throw new PeerError(STATUS.PEER_REFUSED, failure.detail, { cause: err });
      }
    }
  }
}
