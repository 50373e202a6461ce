// Bench-only REST server variants, swapped in for src/node/rest/index.ts by the REST front benchmark
// (rest-front.ts bundles the node with this module in its place). BENCH_REST_SERVER picks one:
// `front` (the production server: socket front, node:http and fastify only for handed-over
// connections), `node-http` (node:http serving every request through the same REST rules) or
// `fastify` (the fastify app on node:http for every request). All three answer through
// handling.ts' createHandler, so the benchmark compares transports, not rules.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { NodeServices } from '../../../src/node/ports/runtime.js';
import type { RestServerControl, RestServerInfo } from '../../../src/node/ports/network.js';
import { ConcurrencyLimiter } from '../../../src/node/http/limiter.js';
import { Mutex } from '../../../src/common/mutex.js';
import {
  createHandler,
  errorAnswer,
  type HandlerDeps,
  type RestAnswer,
} from '../../../src/node/rest/handling.js';
import { lastHeaderValues } from '../../../src/node/http/headers.js';
import { clientIpOf } from '../../../src/node/rest/request-info.js';
import { BODY_LIMIT } from '../../../src/node/http/wire.js';
import {
  createRestServer as createFrontServer,
  MAX_WAITING,
  type RestServerOptions,
} from '../../../src/node/rest/index.js';
import { STATUS } from '../../../src/contract/status-codes.js';

export { MAX_WAITING, type RestServerOptions };

type Variant = 'front' | 'node-http' | 'fastify';

function variant(): Variant {
  const name = process.env['BENCH_REST_SERVER'] ?? 'front';
  if (name === 'front' || name === 'node-http' || name === 'fastify') return name;
  throw new Error(`BENCH_REST_SERVER must be front, node-http or fastify, not ${name}`);
}

/** Write an answer as app.ts does (the rules' headers as given, Content-Length unless no body). */
function writeAnswer(res: ServerResponse, answer: RestAnswer): void {
  if (answer.noBody === true) {
    res.writeHead(answer.status, answer.headers);
    res.end();
    return;
  }
  const buf = Buffer.from(answer.body, 'utf8');
  res.writeHead(answer.status, { ...answer.headers, 'content-length': buf.length });
  res.end(buf);
}

/**
 * The body as fastify's catch-all buffer parser gives it: undefined without a body and without a
 * Content-Type, else the bytes; 'large' past the limit.
 */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined | 'large'> {
  const hasBody =
    req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined;
  if (!hasBody && req.headers['content-type'] === undefined) {
    req.resume();
    return Promise.resolve(undefined);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => {
      resolve(size > limit ? 'large' : Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}

/** node:http alone in front of the REST rules, with node:http's keep-alive handling. */
class HttpServerVariant implements RestServerControl {
  private server: Server | undefined;
  private current: RestServerInfo | undefined;
  private timeoutSeconds = 20;

  constructor(
    private readonly node: NodeServices,
    private readonly options: RestServerOptions,
    private readonly kind: 'node-http' | 'fastify',
  ) {}

  info(): RestServerInfo | undefined {
    return this.current === undefined ? undefined : { ...this.current, timeoutSeconds: this.timeoutSeconds };
  }

  setTimeout(seconds: number): void {
    this.timeoutSeconds = seconds;
  }

  private async listener(deps: HandlerDeps): Promise<Server> {
    const bodyLimit = this.options.bodyLimit ?? BODY_LIMIT;
    if (this.kind === 'fastify') {
      const { buildApp } = await import('../../../src/node/rest/app.js');
      const app = buildApp({ ...deps, bodyLimit });
      await app.ready();
      return app.server;
    }
    const handle = createHandler(deps);
    return createServer((req, res) => {
      const method = req.method ?? 'GET';
      const ip = clientIpOf(req.socket.remoteAddress);
      void readBody(req, bodyLimit)
        .then(async (body) => {
          if (body === 'large') {
            writeAnswer(
              res,
              errorAnswer({ method: method.toLowerCase(), node: ip, code: STATUS.LARGE_COMMAND }, false),
            );
            return;
          }
          writeAnswer(
            res,
            await handle({
              method,
              url: req.url ?? '/',
              headers: lastHeaderValues(req.rawHeaders),
              body,
              clientIp: ip,
            }),
          );
        })
        .catch((err: unknown) => {
          this.node.logger.error({ err }, 'REST request failed');
          res.destroy();
        });
    });
  }

  async start(address: RestServerInfo): Promise<void> {
    this.timeoutSeconds = address.timeoutSeconds;
    const deps: HandlerDeps = {
      node: this.node,
      limiter: new ConcurrencyLimiter(address.threads, MAX_WAITING),
      bodyLock: new Mutex(),
      timeoutSeconds: () => this.timeoutSeconds,
      keepAlive: this.options.keepAlive ?? 'on-request',
    };
    const server = await this.listener(deps);
    const host = address.bind ? address.internalIp : '0.0.0.0';
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host, port: address.internalPort, backlog: 511 }, () => {
        server.removeListener('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.current = address;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.current = undefined;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

export function createRestServer(node: NodeServices, options: RestServerOptions = {}): RestServerControl {
  const kind = variant();
  return kind === 'front' ? createFrontServer(node, options) : new HttpServerVariant(node, options, kind);
}
