// The TCP server: `node:net` listener, frame reassembly across arbitrary
// `data` chunks, half-close and close once a message is complete and handled (as EdgeLake), 30 s idle
// limit for unfinished messages, silent close of probes, invalid frames logged as 193 and closed,
// back-pressure on streamed files. Messages are handled by MessageSession; processLocal() feeds
// self-addressed messages through the same path in-process.
import { createServer, type Server, type Socket } from 'node:net';
import type { ServerAddress, TcpServerControl } from '../ports/network.js';
import type { LogPort as Logger } from '../../common/log-port.js';
import { FrameSplitter } from './assembler.js';
import { FrameError, ListenError } from './errors.js';
import { STATUS } from '../../contract/status-codes.js';
import { MessageSession, type ReceiveContext } from './session.js';

export interface TcpServerOptions {
  readonly idleTimeoutMs: number;
  readonly backlog: number;
}

export const DEFAULT_TCP_SERVER: TcpServerOptions = { idleTimeoutMs: 30_000, backlog: 511 };

const MAX_FILE_BACKLOG = 64;

function remoteIp(socket: Socket): string {
  const ip = socket.remoteAddress ?? '';
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}

export class TcpServer implements TcpServerControl {
  private server: Server | undefined;
  private address: ServerAddress | undefined;
  private readonly sockets = new Set<Socket>();

  constructor(
    private readonly context: () => ReceiveContext,
    private readonly options: TcpServerOptions = DEFAULT_TCP_SERVER,
  ) {}

  private get logger(): Logger {
    return this.context().node.logger;
  }

  info(): ServerAddress | undefined {
    return this.address;
  }

  async start(address: ServerAddress): Promise<void> {
    if (this.server !== undefined)
      throw new ListenError(address.internalIp, address.internalPort, 'already running');
    const host = address.bind ? address.internalIp : '0.0.0.0';
    const server = createServer({ noDelay: true, keepAlive: true }, (socket) => {
      this.handle(socket);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) => {
        reject(new ListenError(host, address.internalPort, err.code ?? err.message, err));
      });
      server.listen({ host, port: address.internalPort, backlog: this.options.backlog }, () => {
        resolve();
      });
    });
    server.on('error', (err) => {
      this.logger.error({ err }, 'TCP server error');
    });
    this.context().limiter.setLimit(address.threads);
    this.server = server;
    this.address = address;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.address = undefined;
    if (server === undefined) return;
    const closed = new Promise<void>((resolve) =>
      server.close(() => {
        resolve();
      }),
    );
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  /** Run frames through the receive path as if they came from `socketIp` (self-addressed). */
  async processLocal(frames: readonly Buffer[], socketIp: string): Promise<void> {
    const session = new MessageSession(this.context(), socketIp);
    for (const raw of frames) {
      const done = session.accept(raw);
      if (done !== undefined) await done;
    }
    await session.settled();
  }

  private handle(socket: Socket): void {
    this.sockets.add(socket);
    const ip = remoteIp(socket);
    const splitter = new FrameSplitter();
    const session = new MessageSession(this.context(), ip);
    const log = this.logger;
    let failed = false;
    socket.setTimeout(this.options.idleTimeoutMs);
    socket.on('timeout', () => {
      log.debug({ peer: ip }, 'TCP connection idle: closed');
      socket.destroy();
    });
    socket.on('error', (err) => {
      log.debug({ peer: ip, err }, 'TCP connection error');
    });
    socket.on('close', () => {
      this.sockets.delete(socket);
      if (session.complete || failed) return;
      if (session.framesRead > 0)
        log.warn(
          { peer: ip, status: STATUS.WRONG_HEADER },
          'Wrong header structure: connection closed inside a message',
        );
      else
        log.debug(
          { peer: ip, bytes: splitter.partialBytes },
          'TCP connection closed before a complete frame',
        );
      void session.abort();
    });
    socket.on('data', (chunk: Buffer) => {
      if (failed) return;
      try {
        const wasComplete = session.complete;
        this.onData(socket, splitter, session, chunk);
        if (session.complete && !wasComplete) this.closeWhenHandled(socket, session);
      } catch (err) {
        failed = true;
        log.warn(
          { peer: ip, status: STATUS.WRONG_HEADER, err: err instanceof FrameError ? err.message : err },
          'Wrong header structure',
        );
        socket.destroy();
        void session.abort();
      }
    });
  }

  /**
   * EdgeLake's worker half-closes and closes the connection once it has handled the last frame (or a frame
   * with an error); a sender that waits for that close knows its message was processed.
   */
  private closeWhenHandled(socket: Socket, session: MessageSession): void {
    void session.settled().then(() => {
      if (socket.destroyed) return;
      socket.end(() => {
        socket.destroy();
      });
    });
  }

  private onData(socket: Socket, splitter: FrameSplitter, session: MessageSession, chunk: Buffer): void {
    for (const raw of splitter.push(chunk)) {
      const done = session.accept(raw);
      if (done === undefined) continue;
      done.catch((err: unknown) => {
        this.logger.error({ err }, 'handling a peer message failed');
      });
    }
    if (session.backlog > MAX_FILE_BACKLOG && !socket.isPaused()) {
      socket.pause();
      void session.drained().then(() => {
        socket.resume();
      });
    }
  }
}
