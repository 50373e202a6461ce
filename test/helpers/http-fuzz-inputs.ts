// Seeded request streams for the REST socket front's differential fuzz: one to three requests built from
// the shapes AnyLog clients send (GET/POST/OPTIONS with Host, User-Agent, command, keep-alive, bodies),
// each damaged with the classes where request smuggling and desynchronisation live: Content-Length with
// Transfer-Encoding, repeated, signed or odd Content-Length, a length that disagrees with the body,
// obs-fold, bare CR or LF, NUL and other control bytes, malformed request lines and header names, heads
// near and over the 16 KiB limit; a share also gets random byte edits or is cut short.
import { mulberry32 } from './fuzz-inputs.js';

export interface FuzzStream {
  readonly bytes: Buffer;
  /** The damage classes applied, for a failure message. */
  readonly classes: readonly string[];
}

type Rand = () => number;

function pick<T>(rand: Rand, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)] as T;
}

interface Draft {
  method: string;
  target: string;
  version: string;
  headers: [string, string][];
  body: string;
  /** Line ending between head lines and after the head. */
  eol: string;
}

const METHODS = [
  'GET',
  'GET',
  'GET',
  'POST',
  'POST',
  'OPTIONS',
  'get',
  'PUT',
  'HEAD',
  'DELETE',
  'PATCH',
  'GET ',
];
const TARGETS = [
  '/',
  '/',
  '/?command=get%20status',
  '/?User-Agent=AnyLog/1.23?command=get%20status',
  '/api/status',
  '/a"<>{}|\\^`~',
  'http://127.0.0.1/',
  '*',
  '',
  '/%00',
  '//x',
];
const VERSIONS = [
  'HTTP/1.1',
  'HTTP/1.1',
  'HTTP/1.1',
  'HTTP/1.1',
  'HTTP/1.0',
  'HTTP/1.2',
  'HTTP/2.0',
  'http/1.1',
  'HTTP/1.1 ',
  'HTTP/01.1',
];
const CONNECTIONS = [
  'keep-alive',
  'keep-alive',
  'keep-alive',
  'close',
  'Keep-Alive',
  'keep-alive, close',
  'close, keep-alive',
  'upgrade',
  ' keep-alive ',
];
const TRANSFER = [
  'chunked',
  'Chunked',
  ' chunked',
  'gzip, chunked',
  'chunked, gzip',
  'identity',
  'xchunked',
  'chunked\t',
];
const LENGTHS = (n: number): string[] => [
  `+${n}`,
  `-${n}`,
  `0${n}`,
  ` ${n}`,
  `${n} `,
  `${n},${n}`,
  `${n}, ${n}`,
  `${n}.0`,
  `0x${n.toString(16)}`,
  '',
  '99999999999999999999',
  '4294967296',
  `${n + 1}`,
  `${Math.max(0, n - 1)}`,
];
const CONTROL = [0x00, 0x01, 0x08, 0x0b, 0x0c, 0x1f, 0x7f, 0x80, 0xff, 0x0d, 0x0a, 0x09, 0x20, 0x3a];
const TYPES = [
  'text/plain',
  'application/json',
  'text/plain; charset="utf-8"',
  '',
  'text/',
  'a/b;c',
  'x/y; q=1',
];

function draft(rand: Rand): Draft {
  // half the drafts are shapes the front serves, so damage lands on requests it would otherwise take
  const plain = rand() < 0.5;
  const method = plain ? pick(rand, ['GET', 'POST', 'OPTIONS']) : pick(rand, METHODS);
  const headers: [string, string][] = [['Host', '127.0.0.1']];
  if (rand() < 0.8) headers.push(['User-Agent', 'AnyLog/1.23']);
  if (rand() < 0.8)
    headers.push([
      'command',
      pick(rand, ['get status', 'get echo x', 'print a', 'get echo caf\u00c3\u00a9']),
    ]);
  if (rand() < 0.8)
    headers.push(['Connection', plain && rand() < 0.8 ? 'keep-alive' : pick(rand, CONNECTIONS)]);
  let body = '';
  if (method.trim().toUpperCase() === 'POST' || rand() < 0.05) {
    body = 'x'.repeat(Math.floor(rand() * 12));
    if (rand() < 0.9) headers.push(['Content-Length', String(body.length)]);
    if (rand() < 0.3) headers.push(['Content-Type', pick(rand, TYPES)]);
  }
  // shuffle so Host is not always first
  for (let i = headers.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [headers[i], headers[j]] = [headers[j] as [string, string], headers[i] as [string, string]];
  }
  const target = plain ? pick(rand, TARGETS.slice(0, 5)) : pick(rand, TARGETS);
  const version = plain ? 'HTTP/1.1' : pick(rand, VERSIONS);
  return { method, target, version, headers, body, eol: '\r\n' };
}

function render(d: Draft): string {
  const lines = [`${d.method} ${d.target} ${d.version}`, ...d.headers.map(([n, v]) => `${n}: ${v}`)];
  return `${lines.join(d.eol)}${d.eol}${d.eol}${d.body}`;
}

function chunked(body: string): string {
  return body.length === 0 ? '0\r\n\r\n' : `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`;
}

function insertAt(text: string, at: number, piece: string): string {
  return text.slice(0, at) + piece + text.slice(at);
}

/** One damage class applied to a draft, or to its rendered text (returned then). */
const DAMAGE: readonly [string, (d: Draft, rand: Rand) => string | undefined][] = [
  [
    'cl+te',
    (d, rand) => {
      d.headers.push(['Transfer-Encoding', pick(rand, TRANSFER)]);
      if (!d.headers.some(([n]) => n === 'Content-Length'))
        d.headers.push(['Content-Length', String(d.body.length)]);
      if (rand() < 0.5) d.body = chunked(d.body);
      return undefined;
    },
  ],
  [
    'te',
    (d, rand) => {
      d.headers.push(['Transfer-Encoding', pick(rand, TRANSFER)]);
      d.body = chunked(d.body);
      return undefined;
    },
  ],
  [
    'duplicate-cl',
    (d, rand) => {
      const n = d.body.length;
      d.headers.push(['Content-Length', String(n)], ['content-length', String(rand() < 0.5 ? n : n + 1)]);
      return undefined;
    },
  ],
  [
    'odd-cl',
    (d, rand) => {
      d.headers = d.headers.filter(([n]) => n !== 'Content-Length');
      d.headers.push(['Content-Length', pick(rand, LENGTHS(d.body.length))]);
      return undefined;
    },
  ],
  [
    'cl-on-get',
    (d, rand) => {
      d.method = 'GET';
      d.body =
        rand() < 0.5 ? '' : 'GET / HTTP/1.1\r\nHost: smuggled\r\n\r\n'.slice(0, 1 + Math.floor(rand() * 34));
      d.headers.push(['Content-Length', String(rand() < 0.3 ? 0 : d.body.length)]);
      return undefined;
    },
  ],
  [
    'obs-fold',
    (d, rand) => {
      const i = Math.floor(rand() * d.headers.length);
      const h = d.headers[i];
      if (h !== undefined) d.headers[i] = [h[0], `${h[1]}\r\n${rand() < 0.5 ? ' ' : '\t'}folded`];
      return undefined;
    },
  ],
  [
    'bare-lf',
    (d, rand) => {
      if (rand() < 0.5) {
        d.eol = '\n';
        return undefined;
      }
      const text = render(d);
      const at = text.indexOf('\r\n', Math.floor(rand() * text.length));
      return at < 0 ? text : text.slice(0, at) + text.slice(at + 1);
    },
  ],
  [
    'bare-cr',
    (d, rand) => {
      const text = render(d);
      const at = text.indexOf('\r\n', Math.floor(rand() * text.length));
      return at < 0
        ? insertAt(text, Math.floor(rand() * text.length), '\r')
        : text.slice(0, at + 1) + text.slice(at + 2);
    },
  ],
  [
    'control-byte',
    (d, rand) => {
      const text = render(d);
      const head = text.indexOf('\r\n\r\n');
      const at = Math.floor(rand() * (head < 0 ? text.length : head + 2));
      return insertAt(text, at, String.fromCharCode(pick(rand, CONTROL)));
    },
  ],
  [
    'header-name',
    (d, rand) => {
      const i = Math.floor(rand() * d.headers.length);
      const h = d.headers[i];
      if (h !== undefined) {
        const name = pick(rand, [
          `${h[0]} `,
          `${h[0]}\t`,
          '',
          ` ${h[0]}`,
          `${h[0]}@`,
          `${h[0]}(x)`,
          `${h[0]}\u00e9`,
        ]);
        d.headers[i] = [name, h[1]];
      }
      return undefined;
    },
  ],
  [
    'no-colon',
    (d) => {
      d.headers.push(['X-Broken', '']);
      const text = render(d);
      return text.replace('X-Broken: ', 'X-Broken');
    },
  ],
  [
    'protocol-header',
    (d, rand) => {
      d.headers.push([
        pick(rand, ['Expect', 'Upgrade', 'HTTP2-Settings', 'Host', 'User-Agent', 'Connection']),
        pick(rand, ['100-continue', 'websocket', 'AAMAAABkAAQAAP__', 'other', 'AnyLog/1.0', 'keep-alive']),
      ]);
      return undefined;
    },
  ],
  [
    'no-host',
    (d) => {
      d.headers = d.headers.filter(([n]) => n !== 'Host');
      return undefined;
    },
  ],
  [
    'request-line',
    (d, rand) => {
      const text = render(d);
      const eol = text.indexOf('\r\n');
      const line = text.slice(0, eol < 0 ? text.length : eol);
      const variants = [
        line.replace(' ', '  '),
        line.replace(' ', '\t'),
        `\r\n${line}`,
        `${line} `,
        line.replace(' HTTP', 'HTTP'),
        line.toLowerCase(),
        `\n${line}`,
      ];
      return pick(rand, variants) + text.slice(line.length);
    },
  ],
  [
    'value-whitespace',
    (d, rand) => {
      const i = Math.floor(rand() * d.headers.length);
      const h = d.headers[i];
      if (h !== undefined)
        d.headers[i] = [h[0], pick(rand, [` ${h[1]}`, `${h[1]} `, `\t${h[1]}\t`, `${h[1]}\t \t`, '', ' '])];
      return undefined;
    },
  ],
  [
    'big-head',
    (d, rand) => {
      const base = render({ ...d, body: '' }).length;
      const target = 16 * 1024 + Math.floor(rand() * 160) - 96;
      d.headers.push(['X-Pad', 'p'.repeat(Math.max(0, target - base - 9))]);
      return undefined;
    },
  ],
];

/** Random byte edits anywhere: replace, insert or delete 1–3 bytes. */
function editBytes(bytes: Buffer, rand: Rand): Buffer {
  let out = bytes;
  const edits = 1 + Math.floor(rand() * 3);
  for (let e = 0; e < edits && out.length > 0; e++) {
    const at = Math.floor(rand() * out.length);
    const byte = rand() < 0.5 ? pick(rand, CONTROL) : Math.floor(rand() * 256);
    const kind = rand();
    if (kind < 0.4) {
      out = Buffer.from(out);
      out[at] = byte;
    } else if (kind < 0.7) out = Buffer.concat([out.subarray(0, at), Buffer.from([byte]), out.subarray(at)]);
    else out = Buffer.concat([out.subarray(0, at), out.subarray(at + 1)]);
  }
  return out;
}

/** `count` request streams from `seed`; the same arguments give the same streams. */
export function* httpFuzzStreams(count: number, seed = 20261206): Generator<FuzzStream> {
  const rand = mulberry32(seed);
  for (let i = 0; i < count; i++) {
    const classes: string[] = [];
    const parts: string[] = [];
    const requests = 1 + Math.floor(rand() * 3);
    for (let r = 0; r < requests; r++) {
      const d = draft(rand);
      let text: string | undefined;
      const damages = rand() < 0.4 ? 0 : 1 + Math.floor(rand() * 2);
      for (let k = 0; k < damages; k++) {
        const [name, apply] = pick(rand, DAMAGE);
        classes.push(name);
        text = apply(d, rand);
        if (text !== undefined) break;
      }
      parts.push(text ?? render(d));
    }
    let bytes: Buffer = Buffer.from(parts.join(''), 'latin1');
    const tail = rand();
    if (tail < 0.1) {
      bytes = editBytes(bytes, rand);
      classes.push('byte-edits');
    } else if (tail < 0.18) {
      bytes = bytes.subarray(0, Math.floor(rand() * bytes.length));
      classes.push('cut-short');
    }
    yield { bytes, classes };
  }
}
