// Frame validation and reassembly: chunk boundaries, sequence rules, truncated /
// oversized / garbage input, and a fuzz run of generated inputs (no exception other than FrameError, an
// accepted input decoded as exactly its frames).
import t from 'tap';
import { FrameSplitter, MessageAssembler, decodeMessage } from '../../../../src/node/tcp/assembler.js';
import {
  encodeMessage,
  encodeFrame,
  messageHeader,
  FRAME_SIZE,
  MAX_BODY,
  MAX_FRAMES,
} from '../../../../src/node/tcp/codec.js';
import { FrameError } from '../../../../src/node/tcp/errors.js';
import { frameFuzzInputs } from '../../../helpers/fuzz-inputs.js';

const META = { infoType: 4, genericFlag: 1, sourceIp: '10.0.0.1', sourcePort: 32048 };

t.test('frames reassemble whatever the chunk boundaries', async (t) => {
  const data = Buffer.alloc(5000, 0x61);
  const wire = Buffer.concat(encodeMessage(META, 'print', data));
  for (const step of [1, 7, 100, 2047, 2048, 2049, 4096, 10_000]) {
    const splitter = new FrameSplitter();
    const assembler = new MessageAssembler();
    const parts: Buffer[] = [];
    for (let i = 0; i < wire.length; i += step) {
      for (const raw of splitter.push(wire.subarray(i, i + step)))
        parts.push(Buffer.from(assembler.accept(raw).data));
    }
    t.ok(assembler.complete, `step ${step}`);
    t.same(Buffer.concat(parts), data);
    t.equal(splitter.partialBytes, 0);
  }
});

function frameWith(overrides: Record<string, number>): Buffer {
  const base = messageHeader(META, { index: 0, last: true, command: 5, data: 0 });
  return encodeFrame({ ...base, ...overrides }, Buffer.from('print'), Buffer.alloc(0));
}

t.test('invalid headers are FrameError (193)', async (t) => {
  const cases: Record<string, Record<string, number>> = {
    'command_length > 1841': { commandLength: 1842, dataLength: 1841 },
    'data_length > 1841': { dataLength: 1842 },
    'data_length < command': { dataLength: 4 },
    'command + authentication > data_length': { authenticationLength: 1, dataLength: 5 },
    'source_ip_length > 128': { sourceIpLength: 129 },
    'block_counter 2 first': { blockCounter: 2 },
  };
  for (const [name, o] of Object.entries(cases)) {
    const err = t.throws(() => decodeMessage(frameWith(o)), FrameError, name);
    t.equal((err as FrameError).status, 193);
  }
});

t.test('command must be identical in every frame', async (t) => {
  const frames = encodeMessage(META, 'print', Buffer.alloc(3000));
  const other = encodeMessage(META, 'echo ', Buffer.alloc(3000));
  t.throws(() => decodeMessage(Buffer.concat([frames[0]!, other[1]!])), FrameError);
});

t.test('truncated input and frames after the last one are errors', async (t) => {
  const wire = Buffer.concat(encodeMessage(META, 'print', Buffer.alloc(3000)));
  t.throws(() => decodeMessage(wire.subarray(0, 2048)), FrameError);
  t.throws(() => decodeMessage(wire.subarray(0, 3000)), FrameError);
  t.throws(() => decodeMessage(Buffer.concat([wire, wire])), FrameError);
  t.throws(() => decodeMessage(Buffer.alloc(0)), FrameError);
});

t.test('a non-zero ERROR ends the message', async (t) => {
  const buf = frameWith({ flagLast: 0, error: 30 });
  const m = decodeMessage(buf);
  t.equal(m.header.error, 30);
  t.equal(m.frames, 1);
});

t.test('more than 65536 frames is refused', async (t) => {
  const assembler = new MessageAssembler();
  const command = Buffer.from('print');
  let thrown: unknown;
  for (let i = 0; i <= MAX_FRAMES && thrown === undefined; i++) {
    const h = messageHeader(META, { index: i, last: false, command: 5, data: 0 });
    try {
      assembler.accept(encodeFrame(h, command, Buffer.alloc(0)));
    } catch (err) {
      thrown = err;
    }
  }
  t.type(thrown, FrameError);
  t.equal(assembler.frames, MAX_FRAMES + 1);
});

t.test('fuzz: 12,000 generated inputs never escape as anything but FrameError', async (t) => {
  // Each decode reads the input once, a frame at a time, whatever its headers claim: an accepted input
  // is exactly its frames, and its data fits them. How fast that is, npm run bench:node reports.
  let accepted = 0;
  let i = 0;
  const N = 12_000;
  for (const input of frameFuzzInputs(N)) {
    let message: ReturnType<typeof decodeMessage> | undefined;
    try {
      message = decodeMessage(input);
    } catch (err) {
      if (!(err instanceof FrameError)) {
        t.fail(`input ${i} threw ${String(err)}`);
        return;
      }
    }
    if (message !== undefined) {
      accepted++;
      if (message.frames * FRAME_SIZE !== input.length || message.data.length > message.frames * MAX_BODY)
        t.fail(
          `input ${i}: ${message.frames} frames, ${message.data.length} data bytes from ${input.length}`,
        );
    }
    i++;
  }
  t.equal(i, N);
  t.ok(accepted > 0 && accepted < N, `some inputs valid (${accepted}), most not`);
});
