// The REST rules as one transport-neutral function: a request (method, URL, raw
// header values, body, client IP) → an answer (status, headers, body bytes). Both transports use it:
// the fastify app (app.ts, every request shape) and the socket front (http/front.ts, GET/OPTIONS and Content-Length POST).
// CORS/OPTIONS, method, path, user-agent and command-source rules, the method check, the threads limit.
import type { NodeServices } from '../ports/runtime.js';
import type { CommandResult } from '../ports/command.js';
import { ConcurrencyLimiter, QueueFullError } from '../http/limiter.js';
import { Mutex } from '../../common/mutex.js';
import { runRestCommand, bodyText, type CommandRequest } from './command-flow.js';
import { allowedMethods } from './method-check.js';
import { effectiveHeaders, type Headers, type RawHeaders } from '../http/headers.js';
import { agentOf, jsonBodyHeaders } from './request-info.js';
import { errorBody, healthBody, statusFor, type ErrorBody } from './responses.js';
import { STATUS } from '../../contract/status-codes.js';

export interface HandlerDeps {
  readonly node: NodeServices;
  /** Bounds concurrently executing requests (`threads`) with at most 100 waiting. */
  readonly limiter: ConcurrencyLimiter;
  readonly bodyLock?: Mutex;
  /** Peer-reply timeout in seconds for `destination` (the server's `timeout`). */
  readonly timeoutSeconds: () => number;
  /** 'on-request': keep the connection when the client sends `Connection: keep-alive`; else always close. */
  readonly keepAlive?: 'never' | 'on-request';
}

export interface RestRequest {
  /** Upper-case method. */
  readonly method: string;
  readonly url: string;
  /** Lower-case names; values as node:http gives them (bytes as latin1 text). */
  readonly headers: RawHeaders;
  readonly body: Buffer | undefined;
  /** The headers as the rules read them (effectiveHeaders), when the transport has them already. */
  readonly decodedHeaders?: Readonly<Headers>;
  /**
   * The HTTP client's address, `::ffff:` already removed. The socket front makes it a lazy getter:
   * reading a socket's peer address is a system call, and only error bodies need it.
   */
  readonly clientIp: string;
}

export interface RestAnswer {
  readonly status: number;
  /** Header names in order; `content-length` is added by the writer unless `noBody`. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** 204: no body and no Content-Length. */
  readonly noBody?: boolean;
  readonly keepAlive: boolean;
}

export interface Handler {
  (req: RestRequest): RestAnswer | Promise<RestAnswer>;
  readonly deps: HandlerDeps;
}

const CORS = {
  'access-control-allow-origin': '*',
  vary: 'Origin',
  'access-control-expose-headers': '*',
} as const;

interface Prepared {
  readonly command: string;
  readonly headers: Readonly<Headers>;
  readonly jsonForm: boolean;
}

interface Ctx {
  readonly deps: HandlerDeps;
  readonly bodyLock: Mutex;
  readonly flow: Parameters<typeof runRestCommand>[0];
}

function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

function keepAliveOf(deps: HandlerDeps, req: RestRequest): boolean {
  if (deps.keepAlive === 'never') return false;
  const value = req.headers['connection'];
  return typeof value === 'string' && value.toLowerCase() === 'keep-alive';
}

function headersOf(keepAlive: boolean): Record<string, string> {
  return { connection: keepAlive ? 'keep-alive' : 'close', ...CORS };
}

function textHeaders(keepAlive: boolean, type: string): Readonly<Record<string, string>> {
  return Object.freeze({ ...headersOf(keepAlive), 'content-type': type });
}

/** The success answers' header sets, built once (the REST hot path allocates none). */
const TEXT_HEADERS = {
  close: { text: textHeaders(false, 'text'), json: textHeaders(false, 'text/json') },
  keepAlive: { text: textHeaders(true, 'text'), json: textHeaders(true, 'text/json') },
} as const;

/** `200` with EdgeLake's content types: `text/json` when the text starts with `{` or `[`, else `text`. */
export function textAnswer(text: string, keepAlive: boolean): RestAnswer {
  const set = keepAlive ? TEXT_HEADERS.keepAlive : TEXT_HEADERS.close;
  const first = text.charCodeAt(0);
  const headers = first === 0x7b || first === 0x5b ? set.json : set.text;
  return { status: 200, headers, body: text, keepAlive };
}

export function errorAnswer(
  e: ErrorBody,
  keepAlive: boolean,
  extra: Readonly<Record<string, string>> = {},
): RestAnswer {
  return {
    status: statusFor(e.code, e.detail),
    headers: { ...headersOf(keepAlive), ...extra, 'content-type': 'application/json' },
    body: errorBody(e),
    keepAlive,
  };
}

function jsonAnswer(body: string, keepAlive: boolean): RestAnswer {
  return {
    status: 200,
    headers: { ...headersOf(keepAlive), 'content-type': 'application/json' },
    body,
    keepAlive,
  };
}

function optionsAnswer(keepAlive: boolean): RestAnswer {
  return {
    status: 204,
    headers: {
      ...headersOf(keepAlive),
      'access-control-allow-methods': 'GET, POST, OPTIONS',
      'access-control-allow-headers': '*',
    },
    body: '',
    noBody: true,
    keepAlive,
  };
}

/** A command request whose client IP is read from the HTTP request only when asked for. */
class CommandFromRequest implements CommandRequest {
  constructor(
    readonly command: string,
    readonly headers: Headers,
    readonly body: string | undefined,
    private readonly from: RestRequest,
  ) {}

  get clientIp(): string {
    return this.from.clientIp;
  }
}

function isOctetStream(req: RestRequest): boolean {
  const type = req.headers['content-type'];
  return typeof type === 'string' && type.toLowerCase().startsWith('application/octet-stream');
}

/** Command sources in priority order: header, URL, JSON body. */
function prepare(req: RestRequest): Prepared {
  const headers = req.decodedHeaders ?? effectiveHeaders(req.headers, req.url);
  const command = headers['command'] ?? '';
  if (command !== '' || req.method !== 'POST') return { command, headers, jsonForm: false };
  const fromBody = jsonBodyHeaders(req.body);
  if (fromBody === undefined) return { command, headers, jsonForm: false };
  return { command: fromBody['command'] ?? '', headers: { ...headers, ...fromBody }, jsonForm: true };
}

async function execute(ctx: Ctx, req: RestRequest, p: Prepared): Promise<CommandResult> {
  const raw = req.body;
  let command = p.command;
  let body: string | undefined;
  if (command === 'body') command = raw === undefined ? '' : bodyText(raw).trim();
  else if (req.method === 'POST' && !p.jsonForm && raw !== undefined && !isOctetStream(req))
    body = bodyText(raw);
  const request = new CommandFromRequest(command, p.headers, body, req);
  try {
    return await ctx.deps.limiter.run(() => runRestCommand(ctx.flow, request));
  } catch (err) {
    if (err instanceof QueueFullError)
      return { code: STATUS.NO_RESOURCES, detail: 'REST request queue is full' };
    ctx.deps.node.logger.error({ err }, 'REST command failed unexpectedly');
    return { code: STATUS.PROCESS_FAILURE, detail: 'Internal error' };
  }
}

type Base = { readonly method: string; readonly node: string };

/** The error body's method and client IP, built only for errors (the IP may cost a syscall). */
function baseOf(req: RestRequest): Base {
  return { method: req.method.toLowerCase(), node: req.clientIp };
}

/** Path gates: `/mcp…` and the health paths. */
function pathGate(ctx: Ctx, req: RestRequest, p: Prepared, ka: boolean): RestAnswer | undefined {
  const path = pathOf(req.url);
  if (path.startsWith('/mcp')) {
    return errorAnswer({ ...baseOf(req), code: STATUS.NOT_SUPPORTED }, ka);
  }
  if (p.command === '' && req.method === 'GET' && (path === '/health' || path === '/api/status')) {
    return jsonAnswer(healthBody(path, ctx.deps.node.clock.now()), ka);
  }
  return undefined;
}

function methodGate(req: RestRequest, command: string, ka: boolean): RestAnswer | undefined {
  // `command: body` takes the command from the body: EdgeLake checks no method for it
  if (command === 'body') return undefined;
  const allowed = allowedMethods(command);
  if (allowed.includes(req.method as 'GET' | 'POST')) return undefined;
  const detail =
    allowed.length === 0
      ? `Command '${command}' is not accepted over REST`
      : `Command '${command}' must be sent with ${allowed.join(' or ')}`;
  return errorAnswer({ ...baseOf(req), code: STATUS.WRONG_METHOD, detail }, ka, {
    allow: allowed.join(', '),
  });
}

/** User agent and missing-command rules, then the method check. */
function agentGate(req: RestRequest, p: Prepared, ka: boolean): RestAnswer | undefined {
  const agent = agentOf(p.headers);
  const known = agent.product === 'anylog' || agent.product === 'curl';
  const post = req.method === 'POST';
  if (!known && !post) return textAnswer('', ka);
  if (!known) {
    const detail = `HTTP server received POST message from unknown 'User-Agent': '${agent.value}'`;
    return errorAnswer({ ...baseOf(req), code: STATUS.UNKNOWN_AGENT, detail }, ka);
  }
  if (p.command === '' && post) {
    return errorAnswer(
      { ...baseOf(req), code: STATUS.REST_HEADERS, detail: "Missing 'command' attribute in header" },
      ka,
    );
  }
  if (p.command === '') return agent.product === 'curl' ? undefined : textAnswer('', ka);
  return p.jsonForm ? undefined : methodGate(req, p.command, ka);
}

async function run(ctx: Ctx, req: RestRequest, p: Prepared, ka: boolean): Promise<RestAnswer> {
  const result = await execute(ctx, req, p);
  if (result.code === STATUS.SUCCESS) return textAnswer(result.text ?? '', ka);
  return errorAnswer({ ...baseOf(req), code: result.code, detail: result.detail }, ka);
}

function handle(ctx: Ctx, req: RestRequest): RestAnswer | Promise<RestAnswer> {
  const ka = keepAliveOf(ctx.deps, req);
  if (req.method === 'OPTIONS') return optionsAnswer(ka);
  if (req.method === 'PUT') return errorAnswer({ ...baseOf(req), code: STATUS.NOT_SUPPORTED }, ka);
  if (req.method !== 'GET' && req.method !== 'POST') {
    return errorAnswer({ ...baseOf(req), code: STATUS.WRONG_METHOD }, ka, { allow: 'GET, POST' });
  }
  const prepared = prepare(req);
  const gated = pathGate(ctx, req, prepared, ka) ?? agentGate(req, prepared, ka);
  if (gated !== undefined) return gated;
  const p = prepared.command === '' ? { ...prepared, command: 'get status' } : prepared;
  return run(ctx, req, p, ka);
}

/** The REST rules bound to one node, limiter and body lock. */
export function createHandler(deps: HandlerDeps): Handler {
  const bodyLock = deps.bodyLock ?? new Mutex();
  const ctx: Ctx = {
    deps,
    bodyLock,
    flow: { node: deps.node, bodyLock, timeoutSeconds: deps.timeoutSeconds },
  };
  return Object.assign((req: RestRequest) => handle(ctx, req), { deps });
}
