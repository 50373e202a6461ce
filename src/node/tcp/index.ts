// Composition of the TCP side of the node: one job table, failed-peer set, threads
// limiter, peer client and server per node. createTcpStack(node, options?) → { tcp, peers }; `node` is
// used only at call time, so main.ts can build NodeServices around the returned objects.
import type { NodeServices } from '../ports/runtime.js';
import type { PeerTransport, TcpServerControl } from '../ports/network.js';
import { ConcurrencyLimiter } from '../http/limiter.js';
import { PeerClient } from './peer-client.js';
import { TcpServer, DEFAULT_TCP_SERVER, type TcpServerOptions } from './server.js';
import type { LedgerInstaller, ReceiveContext } from './session.js';
import { DEFAULT_DELIVER, type DeliverOptions } from './connect.js';

export interface TcpStackOptions {
  /** Console sink for replies nobody waits for (`[From Node ip:port] text`); default stdout. */
  readonly console?: (text: string) => void;
  /** Installs an accepted ledger file; default: the node's synchronizer. */
  readonly installLedger?: LedgerInstaller;
  readonly server?: Partial<TcpServerOptions>;
  readonly deliver?: Partial<DeliverOptions>;
}

export interface TcpStack {
  readonly tcp: TcpServerControl;
  readonly peers: PeerTransport;
}

const DEFAULT_THREADS = 6;

function stdoutConsole(text: string): void {
  process.stdout.write(`${text}\n`);
}

export function createTcpStack(node: NodeServices, options: TcpStackOptions = {}): TcpStack {
  const client = new PeerClient(node, {
    console: options.console ?? stdoutConsole,
    deliver: { ...DEFAULT_DELIVER, ...options.deliver },
  });
  const context: ReceiveContext = {
    node,
    client,
    limiter: new ConcurrencyLimiter(DEFAULT_THREADS),
    installLedger: options.installLedger ?? ((n, filePath) => n.sync.installFile(filePath)),
  };
  const server = new TcpServer(() => context, { ...DEFAULT_TCP_SERVER, ...options.server });
  client.setLocalReceiver((frames, socketIp) => server.processLocal(frames, socketIp));
  return { tcp: server, peers: client };
}

export { PeerClient } from './peer-client.js';
export { PeerError, ListenError, FrameError } from './errors.js';
