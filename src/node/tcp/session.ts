// One incoming message: validates its frames, runs the command of every
// request frame (as EdgeLake does) within the threads limit and answers it,
// buffers reply data or streams a `file write` to disk, then dispatches: replies to jobs/console, ledger
// files to the installer, large messages to execution. `settled()` tells the server when to close.
import { readFile, rename, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { NodeServices } from '../ports/runtime.js';
import type { PeerOrigin } from '../ports/command.js';
import { decodeHeader, HEADER_SIZE, MAX_BODY, type FrameHeader } from './codec.js';
import { MessageAssembler } from './assembler.js';
import { authorizeFileWrite, fileWritePath, FileSink, type AcceptedFile } from './file-receiver.js';
import { executeFromPeer } from './dispatch.js';
import { buildReply, isReplyCommand, INFO_REPLY, GENERIC_ECHO } from './replies.js';
import { fromWireText } from './wire-text.js';
import type { PeerClient } from './peer-client.js';
import type { ConcurrencyLimiter } from '../http/limiter.js';
import { statusText, STATUS } from '../../contract/status-codes.js';

export type LedgerInstaller = (node: NodeServices, filePath: string) => Promise<void>;

export interface ReceiveContext {
  readonly node: NodeServices;
  readonly client: PeerClient;
  readonly limiter: ConcurrencyLimiter;
  readonly installLedger: LedgerInstaller;
}

type Mode = 'request' | 'reply' | 'file' | 'refused';

export class MessageSession {
  private readonly assembler = new MessageAssembler();
  private mode: Mode = 'request';
  private command = '';
  private readonly parts: Buffer[] = [];
  private sink: FileSink | undefined;
  private file: AcceptedFile | undefined;
  private lastWrite: Promise<void> = Promise.resolve();
  /** Work started for this message so far, in frame order (request frames run one after the other). */
  private work: Promise<void> = Promise.resolve();
  /** A request frame's command failed: later frames of the message are not run. */
  private halted = false;

  constructor(
    private readonly ctx: ReceiveContext,
    private readonly socketIp: string,
  ) {}

  get framesRead(): number {
    return this.assembler.frames;
  }

  get complete(): boolean {
    return this.assembler.complete;
  }

  /** Pending file writes (the caller pauses its socket when high). */
  get backlog(): number {
    return this.sink?.backlog ?? 0;
  }

  /** Resolves when the queued file writes are done. */
  drained(): Promise<void> {
    return this.lastWrite;
  }

  /** Resolves when everything started for this message is done (commands run and answered, files handled). */
  settled(): Promise<void> {
    return this.work;
  }

  /**
   * Accept one raw frame (throws FrameError). Returns the work it started: the command of a request frame,
   * or on the last frame the dispatch of a reply or file; undefined when nothing started.
   */
  accept(raw: Buffer): Promise<void> | undefined {
    const frame = this.acceptFrame(raw);
    if (this.assembler.frames === 1) this.start(frame.command.toString('utf8'), frame.header);
    let started: Promise<void> | undefined;
    if (this.mode === 'request') {
      const header = frame.header;
      started = this.work.then(() => this.runFrame(header));
    } else {
      if (this.mode === 'reply') this.parts.push(Buffer.from(frame.data));
      else if (this.mode === 'file' && this.sink !== undefined) this.lastWrite = this.sink.write(frame.data);
      if (this.assembler.complete) {
        const last = frame.header;
        started = this.work.then(() => this.finish(last));
      }
    }
    if (started !== undefined) this.work = started.catch(() => undefined);
    return started;
  }

  /**
   * A COMMAND_LENGTH beyond a frame's body ends the connection like any invalid frame (193), but EdgeLake
   * still answers its source with an `echo` error 2, so this node does too.
   */
  private acceptFrame(raw: Buffer): ReturnType<MessageAssembler['accept']> {
    try {
      return this.assembler.accept(raw);
    } catch (err) {
      const header = raw.length >= HEADER_SIZE ? decodeHeader(raw) : undefined;
      if (header !== undefined && header.commandLength > MAX_BODY) {
        const answered = this.reply(header, this.origin(header), {
          command: 'echo',
          data: statusText(STATUS.COMMAND_STRUCTURE),
          error: STATUS.COMMAND_STRUCTURE,
          infoType: INFO_REPLY,
          generic: GENERIC_ECHO,
        });
        this.work = this.work.then(() => answered).catch(() => undefined);
      }
      throw err;
    }
  }

  /** The connection ended early or a frame was invalid: drop partial files. */
  async abort(): Promise<void> {
    await this.sink?.abort();
  }

  private start(command: string, header: FrameHeader): void {
    this.command = command;
    if (isReplyCommand(command)) {
      this.mode = 'reply';
      return;
    }
    if (!/^file[ \t]+write([ \t]|$)/.test(command)) return;
    this.file = authorizeFileWrite(this.ctx.node, fileWritePath(command), header.genericFlag);
    this.mode = this.file === undefined ? 'refused' : 'file';
    if (this.file !== undefined) this.sink = new FileSink(this.file);
  }

  private origin(header: FrameHeader): PeerOrigin {
    const ip = header.sourceIp === '' || header.sourceIp === '0.0.0.0' ? this.socketIp : header.sourceIp;
    return {
      ip,
      port: header.sourcePort,
      socketIp: this.socketIp,
      jobLocation: header.jobLocation,
      jobId: header.jobId,
      receiverId: header.receiverId,
      receivers: header.counterReceivers,
    };
  }

  private async finish(last: FrameHeader): Promise<void> {
    const first = this.assembler.first ?? last;
    const header = { ...first, error: last.error, flagLast: last.flagLast };
    const origin = this.origin(header);
    switch (this.mode) {
      case 'request':
        return;
      case 'reply':
        this.dispatchReply(header, origin);
        return;
      case 'file':
        await this.finishFile(header, origin);
        return;
      case 'refused':
        this.ctx.node.logger.warn({ peer: `${origin.ip}:${origin.port}` }, 'refused file write from peer');
        await this.reply(header, origin, {
          command: 'echo',
          data: statusText(STATUS.FILE_NOT_AUTHORIZED),
          error: STATUS.FILE_NOT_AUTHORIZED,
          infoType: INFO_REPLY,
          generic: GENERIC_ECHO,
        });
        return;
    }
  }

  private dispatchReply(header: FrameHeader, origin: PeerOrigin): void {
    const data = Buffer.concat(this.parts).toString('utf8');
    this.ctx.client.receiveReply(header, `${origin.ip}:${origin.port}`, this.command, data);
  }

  /** The command of one request frame, answered with that frame's header. */
  private async runFrame(header: FrameHeader): Promise<void> {
    if (this.halted) return;
    const code = await this.runRequest(this.command, header, this.origin(header));
    if (code !== STATUS.SUCCESS && code !== STATUS.UNRECOGNIZED_COMMAND) this.halted = true;
  }

  /** Execute a request within the threads limit and send its reply; returns the status code. */
  private async runRequest(wireText: string, header: FrameHeader, origin: PeerOrigin): Promise<number> {
    const { node } = this.ctx;
    const result = await this.ctx.limiter.run(() => executeFromPeer(node, wireText, origin));
    const reply = buildReply(fromWireText(wireText), result, header.jobId);
    if (reply !== undefined) await this.reply(header, origin, reply);
    return result.code;
  }

  private async reply(
    header: FrameHeader,
    origin: PeerOrigin,
    reply: Parameters<PeerClient['sendReply']>[2],
  ): Promise<void> {
    if (origin.port === 0) return;
    await this.ctx.client.sendReply(`${origin.ip}:${origin.port}`, header, reply);
  }

  private async finishFile(header: FrameHeader, origin: PeerOrigin): Promise<void> {
    const { node } = this.ctx;
    if (this.sink === undefined || this.file === undefined) return;
    let path: string;
    try {
      path = await this.sink.finish();
    } catch (err) {
      node.logger.warn({ err, peer: `${origin.ip}:${origin.port}` }, 'file transfer could not be written');
      await this.sink.abort();
      return;
    }
    if (this.file.kind === 'ledger') {
      await this.ctx.installLedger(node, path).catch((err: unknown) => {
        node.logger.error({ err, file: path }, 'installing a received ledger failed');
      });
      return;
    }
    await this.runLargeMessage(path, header, origin);
  }

  /** Execute the file's text, then delete it (success) or move it to err_dir (failure). */
  private async runLargeMessage(path: string, header: FrameHeader, origin: PeerOrigin): Promise<void> {
    const { node } = this.ctx;
    const text = await readFile(path, 'utf8');
    const code = await this.runRequest(text, header, origin);
    const errDir = node.dirs['err_dir'];
    try {
      if (code === STATUS.SUCCESS || errDir === undefined) await rm(path, { force: true });
      else await rename(path, join(errDir, basename(path)));
    } catch (err) {
      node.logger.warn({ err, file: path }, 'large-message file cleanup failed');
    }
  }
}
