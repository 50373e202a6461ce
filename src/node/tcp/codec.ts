// PURE codec of EdgeLake's TCP peer protocol: 2048-byte frames with a
// 207-byte big-endian header. Encodes and decodes single frames, validates them, and splits a message
// (command + data) into frames. No I/O; the server (server.ts) and the peer client (peer-client.ts) use it.
import { FrameError } from './errors.js';
import { STATUS, type StatusCode } from '../../contract/status-codes.js';

export const FRAME_SIZE = 2048;
export const HEADER_SIZE = 207;
/** Largest body (command + authentication + data) one frame can carry. */
export const MAX_BODY = FRAME_SIZE - HEADER_SIZE;
export const MAX_FRAMES = 65_536;
export const MAX_SOURCE_IP = 128;

/** Header fields of one frame. Binary fields are lower-case hex strings. */
export interface FrameHeader {
  readonly blockHash: string;
  readonly socketId: number;
  readonly socketTimeId: string;
  readonly socketCounter: number;
  readonly blockCounter: number;
  readonly blockDataStruct: number;
  readonly flagLast: number;
  readonly flagInfoType: number;
  /** The status code of a reply (0 in requests and successful replies). */
  readonly error: StatusCode;
  readonly commandLength: number;
  readonly authenticationLength: number;
  readonly dataLength: number;
  readonly counterJsons: number;
  readonly replyFlag: number;
  readonly jobLocation: number;
  readonly jobId: number;
  readonly counterReceivers: number;
  readonly receiverId: number;
  readonly parUsed: number;
  readonly parId: number;
  readonly dbmsTime: number;
  readonly sendTime: number;
  readonly sourceIpLength: number;
  readonly sourceIp: string;
  readonly sourcePort: number;
  readonly genericFlag: number;
}

/** A decoded frame: header, command bytes and this frame's data slice (views into the frame buffer). */
export interface Frame {
  readonly header: FrameHeader;
  readonly command: Buffer;
  readonly data: Buffer;
}

type IntField = { [K in keyof FrameHeader]: FrameHeader[K] extends number ? K : never }[keyof FrameHeader];

/** Integer fields: name, offset, size (bytes, big-endian). */
const INT_FIELDS: readonly (readonly [IntField, number, number])[] = [
  ['socketId', 16, 2],
  ['socketCounter', 26, 4],
  ['blockCounter', 30, 4],
  ['blockDataStruct', 34, 1],
  ['flagLast', 35, 1],
  ['flagInfoType', 36, 1],
  ['error', 37, 2],
  ['commandLength', 39, 2],
  ['authenticationLength', 41, 2],
  ['dataLength', 43, 4],
  ['counterJsons', 47, 2],
  ['replyFlag', 49, 1],
  ['jobLocation', 50, 2],
  ['jobId', 52, 4],
  ['counterReceivers', 56, 2],
  ['receiverId', 58, 2],
  ['parUsed', 60, 2],
  ['parId', 62, 2],
  ['dbmsTime', 64, 4],
  ['sendTime', 68, 4],
  ['sourceIpLength', 72, 1],
  ['sourcePort', 201, 4],
  ['genericFlag', 205, 2],
];

const SOURCE_IP_OFFSET = 73;

/** Fields a sender chooses; everything else is derived (lengths, counters) or zero. */
export interface MessageMeta {
  readonly infoType: number;
  readonly error?: StatusCode;
  readonly jobLocation?: number;
  readonly jobId?: number;
  readonly counterReceivers?: number;
  readonly receiverId?: number;
  /** PAR_USED: 1 in requests and replies, 0 in file transfers (as EdgeLake). */
  readonly parUsed?: number;
  readonly sourceIp: string;
  readonly sourcePort: number;
  readonly genericFlag?: number;
}

export function zeroHeader(): FrameHeader {
  return {
    blockHash: '0'.repeat(32),
    socketId: 0,
    socketTimeId: '0'.repeat(16),
    socketCounter: 0,
    blockCounter: 0,
    blockDataStruct: 0,
    flagLast: 0,
    flagInfoType: 0,
    error: STATUS.SUCCESS,
    commandLength: 0,
    authenticationLength: 0,
    dataLength: 0,
    counterJsons: 0,
    replyFlag: 0,
    jobLocation: 0,
    jobId: 0,
    counterReceivers: 0,
    receiverId: 0,
    parUsed: 0,
    parId: 0,
    dbmsTime: 0,
    sendTime: 0,
    sourceIpLength: 0,
    sourceIp: '',
    sourcePort: 0,
    genericFlag: 0,
  };
}

/** Encode one 2048-byte frame; bytes after 207 + data_length are zero. */
export function encodeFrame(header: FrameHeader, command: Uint8Array, data: Uint8Array): Buffer {
  if (command.length + data.length > MAX_BODY) {
    throw new FrameError(`frame body of ${command.length + data.length} bytes exceeds ${MAX_BODY}`);
  }
  const ip = Buffer.from(header.sourceIp, 'latin1');
  if (ip.length > MAX_SOURCE_IP) throw new FrameError(`source ip longer than ${MAX_SOURCE_IP} bytes`);
  const buf = Buffer.alloc(FRAME_SIZE);
  buf.write(header.blockHash, 0, 16, 'hex');
  buf.write(header.socketTimeId, 18, 8, 'hex');
  for (const [name, offset, size] of INT_FIELDS) buf.writeUIntBE(header[name], offset, size);
  ip.copy(buf, SOURCE_IP_OFFSET);
  buf.set(command, HEADER_SIZE);
  buf.set(data, HEADER_SIZE + command.length);
  return buf;
}

/** Decode the header of a frame (at least 207 bytes) without validating it. */
export function decodeHeader(buf: Uint8Array): FrameHeader {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (b.length < HEADER_SIZE) throw new FrameError(`frame of ${b.length} bytes is shorter than the header`);
  const header: Record<string, number | string> = {
    blockHash: b.toString('hex', 0, 16),
    socketTimeId: b.toString('hex', 18, 26),
  };
  for (const [name, offset, size] of INT_FIELDS) header[name] = b.readUIntBE(offset, size);
  const ipLength = Math.min(b.readUInt8(72), MAX_SOURCE_IP);
  header['sourceIp'] = b.toString('latin1', SOURCE_IP_OFFSET, SOURCE_IP_OFFSET + ipLength);
  return header as unknown as FrameHeader;
}

/** Per-frame validation of the header's lengths (sequence checks live in the assembler). */
export function validateHeader(h: FrameHeader): void {
  if (h.commandLength > MAX_BODY) throw new FrameError(`command_length ${h.commandLength} > ${MAX_BODY}`);
  if (h.commandLength + h.authenticationLength > h.dataLength) {
    throw new FrameError(`data_length ${h.dataLength} < command + authentication`);
  }
  if (h.dataLength > MAX_BODY) throw new FrameError(`data_length ${h.dataLength} > ${MAX_BODY}`);
  if (h.sourceIpLength > MAX_SOURCE_IP) throw new FrameError(`source_ip_length ${h.sourceIpLength}`);
}

/** Decode and validate one complete 2048-byte frame. Throws FrameError (193) on any violation. */
export function decodeFrame(buf: Buffer): Frame {
  if (buf.length !== FRAME_SIZE) throw new FrameError(`frame of ${buf.length} bytes`);
  const header = decodeHeader(buf);
  validateHeader(header);
  const cmdEnd = HEADER_SIZE + header.commandLength;
  const dataStart = cmdEnd + header.authenticationLength;
  return {
    header,
    command: buf.subarray(HEADER_SIZE, cmdEnd),
    data: buf.subarray(dataStart, HEADER_SIZE + header.dataLength),
  };
}

/** Data capacity of each frame for a command of `commandLength` bytes. */
export function frameCapacity(commandLength: number): number {
  return MAX_BODY - commandLength;
}

/**
 * Data bytes per frame. `fileRule`: a frame is last when its data does not fill it, so a size that is a
 * multiple of the capacity ends with an empty frame. Otherwise frames are filled and the last one
 * carries the remainder (at least one frame).
 */
export function splitSizes(commandLength: number, dataLength: number, fileRule: boolean): number[] {
  const cap = frameCapacity(commandLength);
  if (cap <= 0) throw new FrameError(`command of ${commandLength} bytes does not fit a frame`);
  const sizes: number[] = [];
  let left = dataLength;
  while (left > cap || (fileRule && left === cap)) {
    sizes.push(cap);
    left -= cap;
  }
  sizes.push(left);
  if (sizes.length > MAX_FRAMES) throw new FrameError(`message needs ${sizes.length} frames`);
  return sizes;
}

/** Header of frame `index` (0-based) of a message. */
export function messageHeader(
  meta: MessageMeta,
  frame: { index: number; last: boolean; command: number; data: number },
): FrameHeader {
  const ipLength = Buffer.byteLength(meta.sourceIp, 'latin1');
  return {
    ...zeroHeader(),
    blockCounter: frame.index + 1,
    flagLast: frame.last ? 1 : 0,
    flagInfoType: meta.infoType,
    error: meta.error ?? STATUS.SUCCESS,
    commandLength: frame.command,
    dataLength: frame.command + frame.data,
    jobLocation: meta.jobLocation ?? 0,
    jobId: meta.jobId ?? 0,
    counterReceivers: meta.counterReceivers ?? 1,
    receiverId: meta.receiverId ?? 0,
    parUsed: meta.parUsed ?? 1,
    sourceIpLength: ipLength,
    sourceIp: meta.sourceIp,
    sourcePort: meta.sourcePort,
    genericFlag: meta.genericFlag ?? 0,
  };
}

/** Encode a whole message as frames: the command is repeated in every frame, the data is split. */
export function encodeMessage(
  meta: MessageMeta,
  command: string,
  data: Uint8Array,
  fileRule = false,
): Buffer[] {
  const cmd = Buffer.from(command, 'utf8');
  const sizes = splitSizes(cmd.length, data.length, fileRule);
  const frames: Buffer[] = [];
  let offset = 0;
  sizes.forEach((size, index) => {
    const header = messageHeader(meta, {
      index,
      last: index === sizes.length - 1,
      command: cmd.length,
      data: size,
    });
    frames.push(encodeFrame(header, cmd, data.subarray(offset, offset + size)));
    offset += size;
  });
  return frames;
}
