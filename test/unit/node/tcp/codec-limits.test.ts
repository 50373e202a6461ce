// Size limits of the frame codec at their edges: body and source-ip limits when encoding, short and
// long frames when decoding, header length checks, the authentication gap, and how messages split.
import t, { type Test } from 'tap';
import {
  MAX_BODY,
  MAX_FRAMES,
  MAX_SOURCE_IP,
  HEADER_SIZE,
  FRAME_SIZE,
  decodeFrame,
  decodeHeader,
  encodeFrame,
  encodeMessage,
  splitSizes,
  validateHeader,
  zeroHeader,
  type FrameHeader,
} from '../../../../src/node/tcp/codec.js';
import { FrameError } from '../../../../src/node/tcp/errors.js';

const header = (fields: Partial<FrameHeader>): FrameHeader => ({ ...zeroHeader(), ...fields });
const isFrameError = (t: Test, fn: () => unknown, what: string): void => {
  t.throws(fn, FrameError, what);
};

t.test('encodeFrame: a body of MAX_BODY bytes fits, one more byte is a FrameError', async (t) => {
  const cmd = Buffer.alloc(1000, 0x61);
  t.equal(encodeFrame(header({}), cmd, Buffer.alloc(MAX_BODY - 1000)).length, FRAME_SIZE);
  isFrameError(t, () => encodeFrame(header({}), cmd, Buffer.alloc(MAX_BODY - 999)), 'body one byte too long');
  isFrameError(t, () => encodeFrame(header({}), cmd, Buffer.alloc(900)), 'sum, not difference, is checked');
});

t.test('encodeFrame: a source ip of MAX_SOURCE_IP bytes fits, one more is a FrameError', async (t) => {
  const ip = 'x'.repeat(MAX_SOURCE_IP);
  const frame = encodeFrame(
    header({ sourceIp: ip, sourceIpLength: MAX_SOURCE_IP, sourcePort: 7 }),
    Buffer.alloc(0),
    Buffer.alloc(0),
  );
  const back = decodeHeader(frame);
  t.equal(back.sourceIp, ip);
  t.equal(back.sourcePort, 7);
  isFrameError(
    t,
    () => encodeFrame(header({ sourceIp: ip + 'x' }), Buffer.alloc(0), Buffer.alloc(0)),
    'ip too long',
  );
});

t.test('decodeHeader needs the whole 207-byte header', async (t) => {
  t.equal(decodeHeader(Buffer.alloc(HEADER_SIZE)).commandLength, 0);
  isFrameError(t, () => decodeHeader(Buffer.alloc(HEADER_SIZE - 1)), 'short header');
});

t.test('validateHeader: lengths at their limits pass, one past fails', async (t) => {
  t.doesNotThrow(() => validateHeader(header({ commandLength: MAX_BODY, dataLength: MAX_BODY })));
  t.doesNotThrow(() => validateHeader(header({ sourceIpLength: MAX_SOURCE_IP })));
  isFrameError(t, () => validateHeader(header({ sourceIpLength: MAX_SOURCE_IP + 1 })), 'ip length');
  isFrameError(t, () => validateHeader(header({ dataLength: MAX_BODY + 1 })), 'data length');
  isFrameError(
    t,
    () => validateHeader(header({ commandLength: 5, authenticationLength: 2, dataLength: 6 })),
    'gap',
  );
});

t.test('decodeFrame takes exactly 2048 bytes', async (t) => {
  const frame = encodeFrame(header({ commandLength: 1, dataLength: 1 }), Buffer.from('a'), Buffer.alloc(0));
  t.equal(decodeFrame(frame).command.toString(), 'a');
  isFrameError(t, () => decodeFrame(frame.subarray(0, FRAME_SIZE - 1)), 'one byte short');
  isFrameError(t, () => decodeFrame(Buffer.concat([frame, Buffer.alloc(1)])), 'one byte long');
});

t.test('decodeFrame: data starts after the authentication bytes', async (t) => {
  const body = Buffer.from('cmdAUdata');
  const frame = encodeFrame(
    header({ commandLength: 3, authenticationLength: 2, dataLength: 9 }),
    body,
    Buffer.alloc(0),
  );
  const got = decodeFrame(frame);
  t.equal(got.command.toString(), 'cmd');
  t.equal(got.data.toString(), 'data');
});

t.test('splitSizes: limits of the command, the capacity and the frame count', async (t) => {
  isFrameError(t, () => splitSizes(MAX_BODY, 0, false), 'a command filling the frame leaves no room');
  t.same(splitSizes(MAX_BODY - 1, 0, false), [0]);
  t.same(splitSizes(0, MAX_BODY, false), [MAX_BODY], 'exactly one full frame');
  t.same(splitSizes(0, MAX_BODY, true), [MAX_BODY, 0], 'file rule: a full frame is followed by an empty one');
  t.equal(splitSizes(MAX_BODY - 1, MAX_FRAMES, false).length, MAX_FRAMES);
  isFrameError(t, () => splitSizes(MAX_BODY - 1, MAX_FRAMES + 1, false), 'one frame too many');
});

t.test('encodeMessage splits by the request rule unless told otherwise', async (t) => {
  const meta = { infoType: 1, sourceIp: '127.0.0.1', sourcePort: 1 };
  t.equal(encodeMessage(meta, 'c', Buffer.alloc(MAX_BODY - 1)).length, 1);
  t.equal(encodeMessage(meta, 'c', Buffer.alloc(MAX_BODY - 1), true).length, 2);
});
