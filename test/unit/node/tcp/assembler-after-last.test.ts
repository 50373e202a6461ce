// MessageAssembler (src/node/tcp/assembler.ts): a message ends at its FLAG_LAST frame; a further frame,
// even one that continues the block counter with the same command, is a framing error.
import t from 'tap';
import { MessageAssembler } from '../../../../src/node/tcp/assembler.js';
import { encodeMessage } from '../../../../src/node/tcp/codec.js';
import { FrameError } from '../../../../src/node/tcp/errors.js';

t.test('no frame is accepted after the last one', async (t) => {
  const from = { infoType: 6, sourceIp: '127.0.0.9', sourcePort: 32048 };
  const single = encodeMessage(from, 'print', Buffer.alloc(0));
  const second = encodeMessage(from, 'print', Buffer.alloc(3000, 65))[1]!;
  const assembler = new MessageAssembler();
  assembler.accept(single[0]!);
  t.ok(assembler.complete);
  t.throws(() => assembler.accept(second), FrameError);
  t.equal(assembler.frames, 1);
});
