// node:http's own request parser (llhttp, through node's internal `_http_common` binding) as a reference
// for the REST socket front: splits a byte stream into requests with node:http's settings (strict, no
// lenient flags, the default 16 KiB head limit) and says how it ends: cleanly between requests, in the
// middle of one, or with a parse error and its code, as node:http would see it.
import { createRequire } from 'node:module';

interface ParserBinding {
  new (): Parser;
  readonly REQUEST: number;
  readonly kOnHeaders: number;
  readonly kOnHeadersComplete: number;
  readonly kOnBody: number;
  readonly kOnMessageComplete: number;
}

interface Parser {
  [key: number]: unknown;
  initialize(type: number, resource: object, maxHeaderSize: number, lenient: number): void;
  execute(data: Buffer): number | Error;
  finish(): undefined | Error;
  close(): void;
}

const require = createRequire(import.meta.url);
const common = require('_http_common') as { HTTPParser: ParserBinding; methods: readonly string[] };
const { HTTPParser, methods } = common;

export interface ReferenceRequest {
  readonly method: string;
  readonly url: string;
  readonly versionMajor: number;
  readonly versionMinor: number;
  /** name, value, name, value … as node:http's rawHeaders. */
  readonly rawHeaders: readonly string[];
  readonly body: Buffer;
  readonly upgrade: boolean;
  readonly keepAlive: boolean;
}

export interface ReferenceParse {
  /** Requests llhttp completed, in order. */
  readonly requests: readonly ReferenceRequest[];
  /** 'clean': the stream ends between requests; 'partial': inside one; else llhttp's error code. */
  readonly end: string;
}

/** One parser for every call: initialize() resets it, and making one costs more than most parses. */
const PARSER = new HTTPParser();

/** Parse `data` as node:http's server would. */
export function referenceParse(data: Buffer): ReferenceParse {
  const requests: ReferenceRequest[] = [];
  let headers: string[] = [];
  let url = '';
  let current:
    | {
        method: string;
        url: string;
        major: number;
        minor: number;
        raw: string[];
        upgrade: boolean;
        keepAlive: boolean;
      }
    | undefined;
  let body: Buffer[] = [];
  const parser = PARSER;
  parser[HTTPParser.kOnHeaders] = (more: string[], moreUrl: string) => {
    headers.push(...more);
    url += moreUrl;
  };
  parser[HTTPParser.kOnHeadersComplete] = (
    major: number,
    minor: number,
    raw: string[] | undefined,
    method: number,
    target: string | undefined,
    _status: unknown,
    _message: unknown,
    upgrade: boolean,
    keepAlive: boolean,
  ) => {
    current = {
      method: methods[method] ?? String(method),
      url: target ?? url,
      major,
      minor,
      raw: raw ?? headers,
      upgrade,
      keepAlive,
    };
    headers = [];
    url = '';
    body = [];
    return 0;
  };
  parser[HTTPParser.kOnBody] = (chunk: Buffer) => {
    body.push(Buffer.from(chunk));
  };
  parser[HTTPParser.kOnMessageComplete] = () => {
    if (current === undefined) return;
    requests.push({
      method: current.method,
      url: current.url,
      versionMajor: current.major,
      versionMinor: current.minor,
      rawHeaders: current.raw,
      body: Buffer.concat(body),
      upgrade: current.upgrade,
      keepAlive: current.keepAlive,
    });
    current = undefined;
  };
  parser.initialize(HTTPParser.REQUEST, {}, 0, 0);
  try {
    const result = data.length === 0 ? 0 : parser.execute(data);
    if (result instanceof Error)
      return { requests, end: (result as Error & { code?: string }).code ?? 'error' };
    const upgraded = requests.at(-1)?.upgrade === true;
    if (upgraded) return { requests, end: 'upgrade' };
    const finished = parser.finish();
    return { requests, end: finished instanceof Error ? 'partial' : 'clean' };
  } finally {
    for (const key of [
      HTTPParser.kOnHeaders,
      HTTPParser.kOnHeadersComplete,
      HTTPParser.kOnBody,
      HTTPParser.kOnMessageComplete,
    ])
      parser[key] = undefined;
  }
}
