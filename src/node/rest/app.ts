// The REST application (anylog-node.md §5): one fastify 5 instance with a single catch-all route, built
// without listening (index.ts listens). Applies CORS/OPTIONS, method, path, user-agent and command-source
// rules, the method check, the threads limit with 100 waiting (503/108), the 1 MiB body limit (413/230).
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import type { NodeServices } from '../ports/runtime.js';
import type { CommandResult } from '../ports/command.js';
import { ConcurrencyLimiter, QueueFullError } from '../tcp/limiter.js';
import { Mutex } from './body-lock.js';
import { runRestCommand, bodyText } from './command-flow.js';
import { allowedMethods } from './method-check.js';
import { agentOf, clientIp, effectiveHeaders, jsonBodyHeaders, type Headers } from './request-info.js';
import { healthBody, sendError, sendJson, sendOptions, sendText, type ConnectionMode } from './responses.js';
import { STATUS } from '../../contract/status-codes.js';

export const BODY_LIMIT = 1024 * 1024;
export const MAX_WAITING = 100;

export interface AppDeps {
  readonly node: NodeServices;
  /** Bounds concurrently executing requests (`threads`) with at most 100 waiting. */
  readonly limiter: ConcurrencyLimiter;
  readonly bodyLock?: Mutex;
  /** Peer-reply timeout in seconds for `destination` (the server's `timeout`). */
  readonly timeoutSeconds: () => number;
  /** 'on-request': keep the connection when the client sends `Connection: keep-alive`; else always close. */
  readonly keepAlive?: 'never' | 'on-request';
  readonly bodyLimit?: number;
}

interface Ctx {
  readonly deps: AppDeps;
  readonly bodyLock: Mutex;
}

const METHODS = ['GET', 'POST', 'PUT', 'OPTIONS', 'DELETE', 'PATCH', 'HEAD'];

function connectionOf(ctx: Ctx, req: FastifyRequest): ConnectionMode {
  return ctx.deps.keepAlive !== 'never' && req.headers.connection?.toLowerCase() === 'keep-alive'
    ? 'keep-alive'
    : 'close';
}

function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

interface Prepared {
  readonly command: string;
  readonly headers: Headers;
  readonly jsonForm: boolean;
}

/** Command sources in priority order (§5.3): header, URL, JSON body. */
function prepare(req: FastifyRequest): Prepared {
  const { headers } = effectiveHeaders(req);
  const command = headers['command'] ?? '';
  if (command !== '' || req.method !== 'POST') return { command, headers, jsonForm: false };
  const fromBody = jsonBodyHeaders(req.body as Buffer | undefined);
  if (fromBody === undefined) return { command, headers, jsonForm: false };
  return { command: fromBody['command'] ?? '', headers: { ...headers, ...fromBody }, jsonForm: true };
}

async function execute(ctx: Ctx, req: FastifyRequest, p: Prepared): Promise<CommandResult> {
  const raw = req.body as Buffer | undefined;
  let command = p.command;
  let body: string | undefined;
  if (command === 'body') command = raw === undefined ? '' : bodyText(raw).trim();
  else if (req.method === 'POST' && !p.jsonForm && raw !== undefined && !isOctetStream(req))
    body = bodyText(raw);
  const request = { command, headers: p.headers, body, clientIp: clientIp(req) };
  try {
    return await ctx.deps.limiter.run(() =>
      runRestCommand(
        { node: ctx.deps.node, bodyLock: ctx.bodyLock, timeoutSeconds: ctx.deps.timeoutSeconds },
        request,
      ),
    );
  } catch (err) {
    if (err instanceof QueueFullError)
      return { code: STATUS.NO_RESOURCES, detail: 'REST request queue is full' };
    ctx.deps.node.logger.error({ err }, 'REST command failed unexpectedly');
    return { code: STATUS.PROCESS_FAILURE, detail: 'Internal error' };
  }
}

function isOctetStream(req: FastifyRequest): boolean {
  return (req.headers['content-type'] ?? '').toLowerCase().startsWith('application/octet-stream');
}

type Base = { readonly method: string; readonly node: string };

/** Path gates (§5.10): `/mcp…` and the health paths. */
function pathGate(ctx: Ctx, req: FastifyRequest, reply: FastifyReply, p: Prepared): FastifyReply | undefined {
  const conn = connectionOf(ctx, req);
  const path = pathOf(req.url);
  if (path.startsWith('/mcp')) {
    return sendError(reply, conn, {
      method: req.method.toLowerCase(),
      node: clientIp(req),
      code: STATUS.NOT_SUPPORTED,
    });
  }
  if (p.command === '' && req.method === 'GET' && (path === '/health' || path === '/api/status')) {
    return sendJson(reply, conn, healthBody(path, ctx.deps.node.clock.now()));
  }
  return undefined;
}

/** User agent and missing-command rules (§5.2, §5.3), then the method check (§5.4). */
function agentGate(
  ctx: Ctx,
  req: FastifyRequest,
  reply: FastifyReply,
  p: Prepared,
): FastifyReply | undefined {
  const conn = connectionOf(ctx, req);
  const base: Base = { method: req.method.toLowerCase(), node: clientIp(req) };
  const agent = agentOf(p.headers);
  const known = agent.product === 'anylog' || agent.product === 'curl';
  const post = req.method === 'POST';
  if (!known && !post) return sendText(reply, conn, '');
  if (!known) {
    const detail = `HTTP server received POST message from unknown 'User-Agent': '${agent.value}'`;
    return sendError(reply, conn, { ...base, code: STATUS.UNKNOWN_AGENT, detail });
  }
  if (p.command === '' && post) {
    return sendError(reply, conn, {
      ...base,
      code: STATUS.REST_HEADERS,
      detail: "Missing 'command' attribute in header",
    });
  }
  if (p.command === '') return agent.product === 'curl' ? undefined : sendText(reply, conn, '');
  return p.jsonForm ? undefined : methodGate(reply, conn, base, p.command, req.method);
}

function methodGate(
  reply: FastifyReply,
  conn: ConnectionMode,
  base: Base,
  command: string,
  method: string,
): FastifyReply | undefined {
  const allowed = allowedMethods(command);
  if (allowed.includes(method as 'GET' | 'POST')) return undefined;
  const detail = `Command '${command}' must be sent with ${allowed.join(' or ')}`;
  return sendError(
    reply,
    conn,
    { ...base, code: STATUS.WRONG_METHOD, detail },
    { allow: allowed.join(', ') },
  );
}

async function handle(ctx: Ctx, req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const conn = connectionOf(ctx, req);
  const base = { method: req.method.toLowerCase(), node: clientIp(req) };
  if (req.method === 'OPTIONS') return sendOptions(reply, conn);
  if (req.method === 'PUT') return sendError(reply, conn, { ...base, code: STATUS.NOT_SUPPORTED });
  if (req.method !== 'GET' && req.method !== 'POST') {
    return sendError(reply, conn, { ...base, code: STATUS.WRONG_METHOD }, { allow: 'GET, POST' });
  }
  const prepared = prepare(req);
  const gated = pathGate(ctx, req, reply, prepared) ?? agentGate(ctx, req, reply, prepared);
  if (gated !== undefined) return gated;
  const p = prepared.command === '' ? { ...prepared, command: 'get status' } : prepared;
  const result = await execute(ctx, req, p);
  if (result.code === 0) return sendText(reply, conn, result.text ?? '');
  return sendError(reply, conn, { ...base, code: result.code, detail: result.detail });
}

function onError(ctx: Ctx, err: FastifyError, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const conn: ConnectionMode = 'close';
  const base = { method: req.method.toLowerCase(), node: clientIp(req) };
  if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || err.statusCode === 413) {
    return sendError(reply, conn, { ...base, code: STATUS.LARGE_COMMAND });
  }
  ctx.deps.node.logger.warn({ err }, 'REST request failed');
  const code = (err.statusCode ?? 500) < 500 ? STATUS.COMMAND_STRUCTURE : STATUS.PROCESS_FAILURE;
  return sendError(reply, conn, { ...base, code, detail: err.message });
}

/** Build the REST app (no listen). */
export function buildApp(deps: AppDeps): FastifyInstance {
  const ctx: Ctx = { deps, bodyLock: deps.bodyLock ?? new Mutex() };
  const app = Fastify({
    logger: false,
    bodyLimit: deps.bodyLimit ?? BODY_LIMIT,
    exposeHeadRoutes: false,
    return503OnClosing: false,
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => {
    done(null, body);
  });
  const handler = (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> =>
    handle(ctx, req, reply);
  app.route({ method: METHODS, url: '*', handler });
  app.setNotFoundHandler(handler);
  app.setErrorHandler((err: FastifyError, req, reply) => onError(ctx, err, req, reply));
  return app;
}
