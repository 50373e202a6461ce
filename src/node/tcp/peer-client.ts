// PeerTransport implementation: one connection per message,
// job slots for waiting requests, the failed-peer set, large requests as GENERIC 3 file transfers, and
// self-addressed messages fed in-process to the local receiver. Also routes received replies to jobs/console.
import type { NodeServices } from '../ports/runtime.js';
import type { PeerReply, PeerTransport, SendOptions } from '../ports/network.js';
import { encodeMessage, HEADER_SIZE, FRAME_SIZE, type FrameHeader, type MessageMeta } from './codec.js';
import { deliverFrames, parseAddress, DEFAULT_DELIVER, type DeliverOptions } from './connect.js';
import { isOwnAddress, sourceFor } from './addresses.js';
import { JobTable } from './jobs.js';
import { PeerError } from './errors.js';
import {
  INFO_FILE,
  INFO_REQUEST,
  isJsonText,
  replyText,
  GENERIC_JSON,
  type ReplyMessage,
} from './replies.js';
import { STATUS } from '../../contract/status-codes.js';

export const DEFAULT_WAIT_MS = 20_000;
const LMSG_CYCLE = 100;

/** Feeds frames to this node's own receiver as if they arrived from `socketIp`. */
export type LocalReceiver = (frames: readonly Buffer[], socketIp: string) => Promise<void>;

export interface PeerClientOptions {
  readonly console: (text: string) => void;
  readonly deliver?: DeliverOptions;
}

interface JobFields {
  readonly jobLocation: number;
  readonly jobId: number;
  readonly counterReceivers: number;
  readonly receiverId: number;
}

export class PeerClient implements PeerTransport {
  readonly jobs = new JobTable();
  private readonly failed = new Set<string>();
  private local: LocalReceiver | undefined;
  private lmsgCounter = 0;

  constructor(
    private readonly node: NodeServices,
    private readonly options: PeerClientOptions,
  ) {}

  setLocalReceiver(receiver: LocalReceiver): void {
    this.local = receiver;
  }

  isOwnAddress(destination: string): boolean {
    return isOwnAddress(this.node, destination);
  }

  failedPeers(): readonly string[] {
    return [...this.failed];
  }

  markAlive(destination: string): void {
    this.failed.delete(destination);
  }

  async sendCommand(
    destinations: readonly string[],
    command: string,
    options: SendOptions,
  ): Promise<PeerReply[]> {
    if (!options.wait) {
      const sent = await Promise.all(
        destinations.map((d, i) => this.sendRequest(d, command, fields(0, 0, destinations.length, i))),
      );
      return destinations.map(
        (destination, i) => sent[i] ?? { destination, kind: 'text', text: '', code: STATUS.SUCCESS },
      );
    }
    if (this.node.tcp.info() === undefined)
      throw new PeerError(STATUS.TCP_NOT_RUNNING, 'TCP server not running');
    const job = this.jobs.allocate(destinations, options.timeoutMs ?? DEFAULT_WAIT_MS, this.node.clock);
    const onAbort = (): void => {
      job.finish();
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    await Promise.all(
      destinations.map(async (d, i) => {
        const failure = await this.sendRequest(
          d,
          command,
          fields(job.location, job.id, destinations.length, i),
        );
        if (failure !== undefined) job.complete(i, failure);
      }),
    );
    await job.finished;
    options.signal?.removeEventListener('abort', onAbort);
    return job.results();
  }

  async sendFile(
    destination: string,
    remotePath: string,
    data: Uint8Array,
    genericFlag: 1 | 2 | 3,
  ): Promise<void> {
    const command = `file write ${remotePath.replaceAll(' ', '\t')}`;
    const failure = await this.sendFrames(destination, command, data, {
      ...fields(0, 0, 0, 0),
      infoType: INFO_FILE,
      genericFlag,
      parUsed: 0,
    });
    if (failure !== undefined) throw new PeerError(STATUS.PEER_REFUSED, failure.text);
  }

  /** Send a reply message to a request's source; delivery failures are only logged. */
  async sendReply(to: string, request: FrameHeader, reply: ReplyMessage): Promise<void> {
    const meta = {
      ...fields(request.jobLocation, request.jobId, request.counterReceivers, request.receiverId),
      infoType: reply.infoType,
      error: reply.error,
      genericFlag: reply.generic,
    };
    const failure = await this.sendFrames(to, reply.command, Buffer.from(reply.data, 'utf8'), meta);
    if (failure !== undefined) this.node.logger.warn({ peer: to }, 'failed to deliver a reply to a peer');
  }

  /** A received `print`/`echo` message (receiving side). */
  receiveReply(header: FrameHeader, source: string, command: string, data: string): void {
    const text = replyText(command, data);
    if (header.jobId === 0) {
      this.options.console(`[From Node ${source}] ${text}`);
      return;
    }
    const kind =
      header.error !== STATUS.SUCCESS
        ? 'error'
        : header.genericFlag === GENERIC_JSON && isJsonText(text)
          ? 'json'
          : 'text';
    const stored = this.jobs.deliver(header.jobLocation, header.jobId, header.receiverId, {
      kind,
      text,
      code: header.error,
    });
    if (!stored)
      this.node.logger.debug(
        { peer: source, jobId: header.jobId },
        'reply for an unknown or expired job dropped',
      );
  }

  private async sendRequest(
    destination: string,
    command: string,
    job: JobFields,
  ): Promise<PeerReply | undefined> {
    const bytes = Buffer.byteLength(command, 'utf8');
    if (HEADER_SIZE + bytes < FRAME_SIZE) {
      return this.sendFrames(destination, command, Buffer.alloc(0), { ...job, infoType: INFO_REQUEST });
    }
    this.lmsgCounter = (this.lmsgCounter % LMSG_CYCLE) + 1;
    const fileName = `cmd.${this.node.identity.externalIp}.${this.lmsgCounter}.lmsg`;
    // A file transfer as EdgeLake sends it (COUNTER_RECEIVERS and PAR_USED 0), keeping the job fields so a
    // waiting requester still gets its answer.
    const meta = { ...job, counterReceivers: 0, infoType: INFO_FILE, genericFlag: 3, parUsed: 0 };
    return this.sendFrames(destination, `file write ${fileName}`, Buffer.from(command, 'utf8'), meta);
  }

  /** Encode and deliver (or feed locally); returns the 208 reply on failure. */
  private async sendFrames(
    destination: string,
    command: string,
    data: Uint8Array,
    meta: Omit<MessageMeta, 'sourceIp' | 'sourcePort'>,
  ): Promise<PeerReply | undefined> {
    const unreachable: PeerReply = {
      destination,
      kind: 'unreachable',
      text: `Failed to create a socket using: ${destination}`,
      code: STATUS.PEER_REFUSED,
    };
    const address = parseAddress(destination);
    if (address === undefined) return unreachable;
    const source = sourceFor(this.node, address.ip);
    const frames = encodeMessage(
      { ...meta, sourceIp: source.ip, sourcePort: source.port },
      command,
      data,
      meta.infoType === INFO_FILE,
    );
    try {
      if (this.local !== undefined && this.isOwnAddress(destination)) await this.local(frames, '127.0.0.1');
      else await deliverFrames(destination, frames, this.options.deliver ?? DEFAULT_DELIVER);
      this.failed.delete(destination);
      return undefined;
    } catch (err) {
      this.failed.add(destination);
      this.node.logger.debug({ peer: destination, err }, 'peer delivery failed');
      return unreachable;
    }
  }
}

function fields(jobLocation: number, jobId: number, counterReceivers: number, receiverId: number): JobFields {
  return { jobLocation, jobId, counterReceivers, receiverId };
}
