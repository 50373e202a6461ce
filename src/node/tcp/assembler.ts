// PURE reassembly of the TCP byte stream: arbitrary `data` chunks → 2048-byte
// frames (FrameSplitter), and frames → one validated message (MessageAssembler: block counter sequence,
// identical command, frame limit, end on FLAG_LAST or a non-zero ERROR). decodeMessage() does both on a buffer.
import { decodeFrame, FRAME_SIZE, MAX_FRAMES, type Frame, type FrameHeader } from './codec.js';
import { FrameError } from './errors.js';
import { STATUS } from '../../contract/status-codes.js';

/** Cuts a byte stream into complete frames, whatever the chunk boundaries. */
export class FrameSplitter {
  private pending: Buffer | undefined;
  private filled = 0;

  /** Bytes received that do not yet form a complete frame. */
  get partialBytes(): number {
    return this.filled;
  }

  push(chunk: Buffer): Buffer[] {
    const frames: Buffer[] = [];
    let offset = 0;
    if (this.filled > 0 && this.pending !== undefined) {
      const take = Math.min(FRAME_SIZE - this.filled, chunk.length);
      chunk.copy(this.pending, this.filled, 0, take);
      this.filled += take;
      offset = take;
      if (this.filled < FRAME_SIZE) return frames;
      frames.push(this.pending);
      this.pending = undefined;
      this.filled = 0;
    }
    while (chunk.length - offset >= FRAME_SIZE) {
      frames.push(chunk.subarray(offset, offset + FRAME_SIZE));
      offset += FRAME_SIZE;
    }
    if (offset < chunk.length) {
      this.pending = Buffer.alloc(FRAME_SIZE);
      this.filled = chunk.copy(this.pending, 0, offset);
    }
    return frames;
  }
}

/** Validates the frame sequence of one message; the caller consumes each frame's data. */
export class MessageAssembler {
  private count = 0;
  private firstHeader: FrameHeader | undefined;
  private command: Buffer | undefined;
  private done = false;

  get frames(): number {
    return this.count;
  }

  get complete(): boolean {
    return this.done;
  }

  get first(): FrameHeader | undefined {
    return this.firstHeader;
  }

  /** Decode and check one frame; returns it. Throws FrameError on a malformed frame. */
  accept(raw: Buffer): Frame {
    if (this.done) throw new FrameError('frame after the last frame of the message');
    const frame = decodeFrame(raw);
    this.count += 1;
    if (this.count > MAX_FRAMES) throw new FrameError(`more than ${MAX_FRAMES} frames`);
    if (frame.header.blockCounter !== this.count) {
      throw new FrameError(`block_counter ${frame.header.blockCounter}, expected ${this.count}`);
    }
    if (this.command === undefined) {
      this.command = Buffer.from(frame.command);
      this.firstHeader = frame.header;
    } else if (!this.command.equals(frame.command)) {
      throw new FrameError('command differs between frames');
    }
    this.done = frame.header.flagLast === 1 || frame.header.error !== STATUS.SUCCESS;
    return frame;
  }
}

/** A complete message: first frame's header (ERROR/FLAG_LAST from the last frame), command, all data. */
export interface Message {
  readonly header: FrameHeader;
  readonly command: string;
  readonly data: Buffer;
  readonly frames: number;
}

/** Decode a buffer that holds exactly one message (tests, fuzzing, in-memory use). */
export function decodeMessage(buf: Buffer): Message {
  const splitter = new FrameSplitter();
  const assembler = new MessageAssembler();
  const parts: Buffer[] = [];
  let last: FrameHeader | undefined;
  for (const raw of splitter.push(buf)) {
    const frame = assembler.accept(raw);
    parts.push(frame.data);
    last = frame.header;
  }
  const first = assembler.first;
  if (first === undefined || last === undefined || !assembler.complete || splitter.partialBytes > 0) {
    throw new FrameError('end of input inside a message');
  }
  return {
    header: { ...first, flagLast: last.flagLast, error: last.error },
    command: Buffer.from(buf.subarray(207, 207 + first.commandLength)).toString('utf8'),
    data: Buffer.concat(parts),
    frames: assembler.frames,
  };
}
