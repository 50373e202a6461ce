// Frame codec against vectors/tcp-frames.json: every frame
// encodes byte for byte and decodes to its fields; split rules; wire commands; reply forms.
import t from 'tap';
import {
  decodeFrame,
  encodeFrame,
  encodeMessage,
  FRAME_SIZE,
  HEADER_SIZE,
  zeroHeader,
  type FrameHeader,
} from '../../../../src/node/tcp/codec.js';
import { decodeMessage } from '../../../../src/node/tcp/assembler.js';
import { fromWireText } from '../../../../src/node/tcp/wire-text.js';
import { wireText as toWireText } from '../../../../src/node/commands/network/index.js';
import { buildReply } from '../../../../src/node/tcp/replies.js';
import { tokenize } from '../../../../src/node/interpreter/tokenizer.js';
import { readVectorJson } from '../../../helpers/vectors.js';
import { STATUS } from '../../../../src/contract/status-codes.js';

interface VectorFrame {
  name: string;
  fields: Record<string, string | number>;
  hex_prefix: string;
  prefix_length: number;
}
interface Vectors {
  frame_size: number;
  header_size: number;
  header_fields: { name: string; offset: number; size: number }[];
  frames: VectorFrame[];
  multi_frame_reply: {
    command: string;
    text_bytes: number;
    frames: { block_counter: number; flag_last: number; command_length: number; data_length: number }[];
  };
  file_transfer_split: {
    examples: {
      command_length: number;
      file_bytes: number;
      frames: { block_counter: number; data_bytes: number; flag_last: number }[];
    }[];
  };
  wire_commands: Record<string, unknown>[];
}

const v = readVectorJson('tcp-frames.json') as Vectors;

const camel = (name: string): string => name.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

function headerOf(fields: Record<string, string | number>): FrameHeader {
  const header: Record<string, string | number> = { ...zeroHeader() };
  for (const [k, value] of Object.entries(fields)) {
    if (k !== 'command' && k !== 'data') header[camel(k)] = value;
  }
  return header as unknown as FrameHeader;
}

t.test('sizes match the vector file', async (t) => {
  t.equal(FRAME_SIZE, v.frame_size);
  t.equal(HEADER_SIZE, v.header_size);
  for (const f of v.header_fields) t.ok(f.offset + f.size <= HEADER_SIZE, f.name);
});

for (const frame of v.frames) {
  t.test(`${frame.name}: encodes byte for byte`, async (t) => {
    const command = Buffer.from(String(frame.fields['command']), 'utf8');
    const data = Buffer.from(String(frame.fields['data']), 'utf8');
    const buf = encodeFrame(headerOf(frame.fields), command, data);
    t.equal(buf.length, FRAME_SIZE);
    t.equal(frame.hex_prefix.length / 2, frame.prefix_length);
    const expected = frame.hex_prefix + '00'.repeat(FRAME_SIZE - frame.prefix_length);
    t.equal(buf.toString('hex'), expected);
  });

  t.test(`${frame.name}: decodes to its fields`, async (t) => {
    const hex = frame.hex_prefix + '00'.repeat(FRAME_SIZE - frame.prefix_length);
    const decoded = decodeFrame(Buffer.from(hex, 'hex'));
    const header = decoded.header as unknown as Record<string, unknown>;
    for (const [k, value] of Object.entries(frame.fields)) {
      if (k === 'command') t.equal(decoded.command.toString('utf8'), value, k);
      else if (k === 'data') t.equal(decoded.data.toString('utf8'), value, k);
      else t.equal(header[camel(k)], value, k);
    }
  });
}

t.test('get-status-request built from message metadata equals the observed frame', async (t) => {
  const observed = v.frames.find((f) => f.name === 'get-status-request')!;
  const frames = encodeMessage(
    {
      infoType: 6,
      jobLocation: 0,
      jobId: 1,
      counterReceivers: 1,
      receiverId: 0,
      sourceIp: '127.0.0.1',
      sourcePort: 32048,
    },
    'get status',
    Buffer.alloc(0),
  );
  t.equal(frames.length, 1);
  t.equal(frames[0]!.toString('hex'), observed.hex_prefix + '00'.repeat(FRAME_SIZE - observed.prefix_length));
});

t.test('multi-frame reply: 2249 bytes of text split as observed', async (t) => {
  const m = v.multi_frame_reply;
  const text = Buffer.alloc(m.text_bytes, 0x41);
  const frames = encodeMessage(
    { infoType: 4, genericFlag: 1, sourceIp: '127.0.0.1', sourcePort: 32048 },
    m.command,
    text,
  );
  t.equal(frames.length, m.frames.length);
  frames.forEach((buf, i) => {
    const h = decodeFrame(buf).header;
    const want = m.frames[i]!;
    t.same(
      {
        block_counter: h.blockCounter,
        flag_last: h.flagLast,
        command_length: h.commandLength,
        data_length: h.dataLength,
      },
      want,
    );
  });
  const message = decodeMessage(Buffer.concat(frames));
  t.equal(message.command, 'print');
  t.same(message.data, text);
});

t.test('file transfer split rule', async (t) => {
  for (const ex of v.file_transfer_split.examples) {
    const command = 'file write ' + 'x'.repeat(ex.command_length - 11);
    const data = Buffer.alloc(ex.file_bytes, 0x62);
    const frames = encodeMessage(
      { infoType: 0, genericFlag: 2, sourceIp: '127.0.0.1', sourcePort: 1 },
      command,
      data,
      true,
    );
    const got = frames.map((buf) => {
      const f = decodeFrame(buf);
      return {
        block_counter: f.header.blockCounter,
        data_bytes: f.data.length,
        flag_last: f.header.flagLast,
      };
    });
    t.same(got, ex.frames, `${ex.file_bytes} bytes`);
    t.same(decodeMessage(Buffer.concat(frames)).data, data);
  }
});

t.test('wire commands', async (t) => {
  for (const w of v.wire_commands) {
    const name = String(w['name']);
    if (typeof w['text'] === 'string' && typeof w['command_length'] === 'number') {
      t.equal(Buffer.byteLength(w['text']), w['command_length'], `${name} length`);
    }
    if (typeof w['cli'] === 'string') {
      const words = tokenize(w['cli']).map((tok) => tok.text);
      t.equal(toWireText(words), w['text'], `${name}: sender form`);
      t.same(
        tokenize(fromWireText(String(w['text']))).map((tok) => tok.text),
        words,
        `${name}: receiver form`,
      );
    }
    if (name === 'merge-repush') {
      const words = tokenize(fromWireText(String(w['text']))).map((tok) => tok.text);
      t.same(words.slice(0, 3), ['blockchain', 'push', 'ignore']);
      t.ok(words[3]!.startsWith('{"master"'));
    }
    if (name === 'unrecognized-command-reply') {
      const reply = buildReply('foo bar', { code: STATUS.UNRECOGNIZED_COMMAND }, 0)!;
      t.equal(reply.command, w['anylog_node']);
      t.equal(reply.error, w['error']);
      t.equal(reply.infoType, w['flag_info_type']);
      t.equal(reply.data, w['data']);
    }
    if (name === 'blockchain-failure-reply') {
      const reply = buildReply(
        'blockchain push {"a": {}}',
        { code: STATUS.BLOCKCHAIN_FAILED, detail: String(w['anylog_node_data']) },
        0,
      )!;
      t.equal(reply.command, w['text']);
      t.equal(reply.error, w['error']);
      t.equal(reply.infoType, w['flag_info_type']);
      t.equal(reply.data, w['anylog_node_data']);
    }
  }
});

t.test('reply rules of a peer message', async (t) => {
  t.same(buildReply('get status', { code: STATUS.SUCCESS, text: 'x running' }, 0), {
    command: 'print',
    data: 'x running',
    error: 0,
    infoType: 4,
    generic: 1,
  });
  t.equal(
    buildReply('get status where format = json', { code: STATUS.SUCCESS, text: '{"a": 1}' }, 0)?.generic,
    2,
  );
  t.equal(buildReply('blockchain get svc', { code: STATUS.SUCCESS, text: '[{"a": 1}]' }, 0)?.generic, 1);
  t.equal(buildReply('event metadata_pong', { code: STATUS.SUCCESS }, 0), undefined);
  t.same(buildReply('event metadata_pong', { code: STATUS.SUCCESS }, 7), {
    command: 'echo',
    data: '',
    error: 0,
    infoType: 4,
    generic: 0,
  });
  t.same(buildReply('run client x y', { code: STATUS.UNAUTHORIZED }, 0), {
    command: 'echo',
    data: 'Unauthorized command',
    error: 212,
    infoType: 4,
    generic: 0,
  });
  t.equal(
    buildReply('event foo', { code: STATUS.UNRECOGNIZED_COMMAND }, 7),
    undefined,
    'an unknown event is never answered',
  );
  t.equal(
    buildReply('get x', { code: STATUS.COMMAND_STRUCTURE, detail: "Unknown command: 'get x'" }, 3)?.data,
    "Error Command Structure: Unknown command: 'get x'",
  );
});
