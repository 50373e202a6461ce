// The REST application: one fastify 5 instance with a single catch-all route, built
// without listening. It serves every request shape (chunked or oversized bodies → 413/230, odd methods
// and content types, HTTP/1.0); the rules themselves live in handling.ts, shared with the socket front
// (http/front.ts), which hands this app the connections it does not serve itself.
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import { createHandler, errorAnswer, type Handler, type HandlerDeps, type RestAnswer } from './handling.js';
import { lastHeaderValues } from '../http/headers.js';
import { clientIpOf } from './request-info.js';
import { BODY_LIMIT } from '../http/wire.js';
import { STATUS } from '../../contract/status-codes.js';

export interface AppDeps extends HandlerDeps {
  readonly bodyLimit?: number;
}

const METHODS = ['GET', 'POST', 'PUT', 'OPTIONS', 'DELETE', 'PATCH', 'HEAD'];

/** Write the answer directly (fastify would rewrite EdgeLake's content types `text` / `text/json`). */
function write(reply: FastifyReply, answer: RestAnswer): FastifyReply {
  reply.hijack();
  if (answer.noBody === true) {
    reply.raw.writeHead(answer.status, answer.headers);
    reply.raw.end();
    return reply;
  }
  const buf = Buffer.from(answer.body, 'utf8');
  reply.raw.writeHead(answer.status, { ...answer.headers, 'content-length': buf.length });
  reply.raw.end(buf);
  return reply;
}

function toRequest(req: FastifyRequest): Parameters<Handler>[0] {
  return {
    method: req.method,
    url: req.url,
    headers: lastHeaderValues(req.raw.rawHeaders),
    body: req.body as Buffer | undefined,
    clientIp: clientIpOf(req.socket.remoteAddress),
  };
}

function onError(
  deps: HandlerDeps,
  err: FastifyError,
  req: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  const base = { method: req.method.toLowerCase(), node: clientIpOf(req.socket.remoteAddress) };
  if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || err.statusCode === 413) {
    return write(reply, errorAnswer({ ...base, code: STATUS.LARGE_COMMAND }, false));
  }
  deps.node.logger.warn({ err }, 'REST request failed');
  const code = (err.statusCode ?? 500) < 500 ? STATUS.COMMAND_STRUCTURE : STATUS.PROCESS_FAILURE;
  return write(reply, errorAnswer({ ...base, code, detail: err.message }, false));
}

/** Build the REST app (no listen). */
export function buildApp(deps: AppDeps): FastifyInstance {
  const handle = createHandler(deps);
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
  const handler = async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> =>
    write(reply, await handle(toRequest(req)));
  app.route({ method: METHODS, url: '*', handler });
  app.setNotFoundHandler(handler);
  app.setErrorHandler((err: FastifyError, req, reply) => onError(deps, err, req, reply));
  return app;
}
