// Network ports: outgoing peer messages over EdgeLake's TCP protocol and the state of the TCP and REST
// servers (anylog-node.md §4.2, §5, §6). Implemented in node/tcp/ and node/rest/; commands see only these.

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
}

/** One reply collected for a waiting request (§6.6, §6.11). */
export interface PeerReply {
  readonly destination: string;
  /** 'text' or 'json' reply, 'unreachable' (208), 'timeout' (no reply in time). */
  readonly kind: 'text' | 'json' | 'error' | 'unreachable' | 'timeout';
  readonly text: string;
  readonly code: number;
}

export interface SendOptions {
  /** Wait for replies (job slot, §6.11); false = fire and forget (JOB_ID 0). */
  readonly wait: boolean;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

export interface PeerTransport {
  /** Send one command to each destination (`ip:port`); with wait, resolve with one reply per destination. */
  sendCommand(destinations: readonly string[], command: string, options: SendOptions): Promise<PeerReply[]>;
  /** Send a file transfer (§6.8) to one destination. */
  sendFile(destination: string, remotePath: string, data: Uint8Array, genericFlag: 1 | 2 | 3): Promise<void>;
  /** Reply to a peer request (§6.6). Used by the TCP server and by sync serving. */
  isOwnAddress(destination: string): boolean;
  /** Addresses whose last connection attempt failed (§10.4). */
  failedPeers(): readonly string[];
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
