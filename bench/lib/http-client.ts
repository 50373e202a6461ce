// A lean one-shot HTTP/1.1 client for the benchmarks: one new TCP connection per request (as AnyLog
// clients do), the request written in one piece, the answer read until the server closes. fetch (undici)
// spends more CPU per request than the node answering it, and shares the node's two cores, so latency and
// insert-rate figures measured through it were mostly the client's. Answers must close the connection
// (`Connection: close`, which the node sends unless asked for keep-alive).
import { connect } from 'node:net';

export interface OneShotAnswer {
  readonly status: number;
  readonly body: string;
}

export interface OneShotRequest {
  readonly host: string;
  readonly port: number;
  readonly method: 'GET' | 'POST';
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

function requestBytes(req: OneShotRequest): Buffer {
  // a POST always states its length, as Python's requests does (Content-Length: 0 without a body)
  const body =
    req.body === undefined && req.method === 'GET' ? undefined : Buffer.from(req.body ?? '', 'utf8');
  let head = `${req.method} / HTTP/1.1\r\nHost: ${req.host}:${req.port}\r\nConnection: close\r\n`;
  for (const [name, value] of Object.entries(req.headers)) head += `${name}: ${value}\r\n`;
  if (body !== undefined) head += `Content-Type: text/plain\r\nContent-Length: ${body.length}\r\n`;
  head += '\r\n';
  const top = Buffer.from(head, 'utf8');
  return body === undefined ? top : Buffer.concat([top, body]);
}

/** Parse a complete answer (status line, headers, Content-Length body). */
export function parseAnswer(raw: Buffer): OneShotAnswer {
  const blank = raw.indexOf('\r\n\r\n');
  if (blank < 0) throw new Error(`incomplete HTTP answer (${raw.length} bytes)`);
  const head = raw.toString('latin1', 0, blank);
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(head);
  if (status === null) throw new Error(`not an HTTP answer: ${head.slice(0, 40)}`);
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
  const start = blank + 4;
  const end = length === null ? raw.length : start + Number(length[1]);
  if (end > raw.length)
    throw new Error(`HTTP answer body cut short (${raw.length - start} of ${end - start})`);
  return { status: Number(status[1]), body: raw.toString('utf8', start, end) };
}

/** Send one request on a new connection and read the answer until the server closes it. */
export function oneShot(req: OneShotRequest): Promise<OneShotAnswer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const sock = connect({ host: req.host, port: req.port, noDelay: true });
    sock.on('connect', () => {
      // no half-close: node:http aborts a request whose client has already sent its FIN
      sock.write(requestBytes(req));
    });
    sock.on('data', (chunk: Buffer) => chunks.push(chunk));
    sock.on('error', reject);
    sock.on('close', () => {
      try {
        resolve(parseAnswer(Buffer.concat(chunks)));
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  });
}
