// Network ports: outgoing peer messages over EdgeLake's TCP protocol and the state of the TCP and REST
// servers. Implemented in node/tcp/ and node/rest/; commands see only these.
import type { StatusCode } from '../../contract/status-codes.js';

export interface ServerAddress {
  readonly externalIp: string;
  readonly externalPort: number;
  readonly internalIp: string;
  readonly internalPort: number;
  readonly bind: boolean;
  readonly threads: number;
}

export interface RestServerInfo extends ServerAddress {
  readonly timeoutSeconds: number;
  /** Present when the server speaks TLS and requires client certificates (`ssl = true`). */
  readonly tls?: RestTlsFiles;
}

/** The PEM files of a TLS REST server, named by AnyLog's convention in the node's pem directory. */
export interface RestTlsFiles {
  /** `ca-<ca_org>-public-key.crt`: the CA that signs accepted client certificates. */
  readonly caFile: string;
  /** `server-<server_org>-public-key.crt`: the server's certificate. */
  readonly certFile: string;
  /** `server-<server_org>-private-key.key`: the server's private key (its content is never shown). */
  readonly keyFile: string;
}

/** One reply collected for a waiting request. */
export interface PeerReply {
  readonly destination: string;
  /** 'text' or 'json' reply, 'unreachable' (208), 'timeout' (no reply in time). */
  readonly kind: 'text' | 'json' | 'error' | 'unreachable' | 'timeout';
  readonly text: string;
  readonly code: StatusCode;
}

export interface SendOptions {
  /** Wait for replies (job slot); false = fire and forget (JOB_ID 0). */
  readonly wait: boolean;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

export interface PeerTransport {
  /**
   * Send one command (wire text) to each destination (`ip:port`). Resolves with one entry per
   * destination, in order. With wait: the peers' replies ('text' / 'json' / 'error'), 'unreachable' (208)
   * or 'timeout'. Without wait (JOB_ID 0): 'unreachable' for failed deliveries, else kind 'text' with empty
   * text (delivered). Self-addressed messages run in-process and are awaited.
   * Throws PeerError (tcp/errors.ts; `status` 135 TCP server not running with wait, 108 no job slot).
   */
  sendCommand(destinations: readonly string[], command: string, options: SendOptions): Promise<PeerReply[]>;
  /** Send a file transfer to one destination; throws PeerError (status 208) when not delivered. */
  sendFile(destination: string, remotePath: string, data: Uint8Array, genericFlag: 1 | 2 | 3): Promise<void>;
  /** True when `ip:port` is one of this node's own TCP addresses. */
  isOwnAddress(destination: string): boolean;
  /** Addresses whose last connection attempt failed. */
  failedPeers(): readonly string[];
  /** Remove an address from the failed-peer set (`event metadata_pong`). */
  markAlive?(destination: string): void;
}

export interface TcpServerControl {
  info(): ServerAddress | undefined;
  start(address: ServerAddress): Promise<void>;
  stop(): Promise<void>;
}

export interface RestServerControl {
  info(): RestServerInfo | undefined;
  start(address: RestServerInfo): Promise<void>;
  setTimeout(seconds: number): void;
  stop(): Promise<void>;
}
