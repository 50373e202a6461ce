// NodeClient over HTTP with the global fetch: sends
// `User-Agent: AnyLog/1.23` and the command header, bounds the wait for the answer's headers (connect
// timeout, 5 s) and the whole exchange (request timeout, 10 s) with AbortSignals, and validates every
// body against src/contract/rest.ts. The only module allowed to call fetch (rule D6). With `tls` the
// client speaks HTTPS through undici's fetch and an Agent that presents the client certificate and
// trusts only the given CA (a node started with `ssl = true` refuses clients without such a certificate).
import { processesToList, type ProcessInfo } from '../contract/processes.js';
import {
  BlockchainGetResult,
  MasterPolicyBody,
  NodeErrorBody,
  NodeStatusJson,
  ProcessesJson,
  validateBody,
} from '../contract/rest.js';
import { asStatusCode, STATUS } from '../contract/status-codes.js';
import type { Logger } from '../common/logger.js';
import type {
  CallOptions,
  DropOutcome,
  InsertOutcome,
  MasterPolicy,
  MasterQuery,
  NodeClient,
  NodeStatus,
} from './client.js';
import {
  GET_PROCESSES_JSON,
  GET_STATUS_JSON,
  INSERT_POLICY_COMMAND,
  READ_LEDGER_COMMAND,
  dropPolicyCommand,
  insertPolicyBody,
  pushPolicyCommand,
  queryMasterCommand,
  type PolicyBody,
} from './commands.js';
import { NodeRejectedError, NodeResponseError, NodeUnreachableError } from './errors.js';
import type { TSchema, Static } from 'typebox';
import { Agent, fetch as undiciFetch } from 'undici';

export const USER_AGENT = 'AnyLog/1.23';
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

export interface HttpNodeClientOptions {
  /** IPv4 address or host name of the node (the pod IP in the operator). */
  readonly host: string;
  readonly port: number;
  /** Time allowed until the node starts answering (connection plus response headers). */
  readonly connectTimeoutMs?: number;
  /** Time allowed for the whole exchange. */
  readonly requestTimeoutMs?: number;
  readonly logger?: Logger;
  /** HTTPS with a client certificate (PEM texts); without it the client speaks plain HTTP. */
  readonly tls?: NodeClientTls;
}

/** PEM texts for mutual TLS with a node's REST server. */
export interface NodeClientTls {
  /** The CA that signed the node's server certificate; the only one trusted. */
  readonly ca: string;
  /** The client certificate presented to the node, signed by the CA the node trusts. */
  readonly cert: string;
  readonly key: string;
  /** Name checked against the server certificate (and sent as SNI) instead of `host`, e.g. a DNS SAN when `host` is a pod IP. */
  readonly servername?: string;
}

interface RawAnswer {
  readonly status: number;
  readonly text: string;
}

interface Exchange {
  readonly method: 'GET' | 'POST';
  readonly command: string;
  readonly body?: string;
  readonly signal: AbortSignal | undefined;
}

class TimeoutReason extends Error {
  constructor(readonly phase: 'connect' | 'request') {
    super(`${phase} timeout`);
  }
}

/** Header values travel as bytes: send the UTF-8 bytes of the command (the node decodes UTF-8). */
function headerBytes(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}

function describeFetchFailure(err: unknown): string {
  const cause = err instanceof Error ? err.cause : undefined;
  if (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code;
    return code === undefined ? cause.message : code;
  }
  return err instanceof Error ? err.message : String(err);
}

export class HttpNodeClient implements NodeClient {
  readonly url: string;
  readonly #connectTimeoutMs: number;
  readonly #requestTimeoutMs: number;
  readonly #logger: Logger | undefined;
  readonly #agent: Agent | undefined;

  constructor(options: HttpNodeClientOptions) {
    const host = options.host.includes(':') ? `[${options.host}]` : options.host;
    const tls = options.tls;
    this.url = `${tls === undefined ? 'http' : 'https'}://${host}:${options.port}/`;
    // One Agent per client: its connections (and TLS sessions) are reused across calls.
    this.#agent =
      tls === undefined
        ? undefined
        : new Agent({
            connect: {
              ca: tls.ca,
              cert: tls.cert,
              key: tls.key,
              ...(tls.servername === undefined ? {} : { servername: tls.servername }),
            },
          });
    this.#connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    this.#requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.#logger = options.logger;
  }

  async getStatus(options: CallOptions = {}): Promise<NodeStatus> {
    const body = await this.#json(GET_STATUS_JSON, NodeStatusJson, options.signal);
    return { assignedName: body.assigned_name, status: body.status, profiling: body.profiling };
  }

  async getProcesses(options: CallOptions = {}): Promise<ProcessInfo[]> {
    return processesToList(await this.#json(GET_PROCESSES_JSON, ProcessesJson, options.signal));
  }

  async queryMasterPolicies(query: MasterQuery, options: CallOptions = {}): Promise<MasterPolicy[]> {
    const command = queryMasterCommand(query.nodeName, query.company);
    const policies = await this.#json(command, BlockchainGetResult, options.signal);
    const found: MasterPolicy[] = [];
    for (const policy of policies) {
      const inner = policy['master'];
      if (inner === undefined) continue;
      const checked = validateBody(MasterPolicyBody, inner);
      if (!checked.ok)
        throw new NodeResponseError(command, 200, `master policy: ${checked.problems.join('; ')}`);
      if (checked.value.name !== query.nodeName || checked.value.company !== query.company) continue;
      found.push({
        id: checked.value.id,
        name: checked.value.name,
        company: checked.value.company,
        attributes: inner,
      });
    }
    return found;
  }

  async insertPolicy(policy: PolicyBody, options: CallOptions = {}): Promise<InsertOutcome> {
    const body = insertPolicyBody(policy);
    try {
      await this.#ok({ method: 'POST', command: INSERT_POLICY_COMMAND, body, signal: options.signal });
      return 'inserted';
    } catch (err) {
      if (err instanceof NodeRejectedError && err.errCode === STATUS.DUPLICATE_ID) return 'duplicate';
      throw err;
    }
  }

  async dropPolicy(id: string, options: CallOptions = {}): Promise<DropOutcome> {
    const command = dropPolicyCommand(id);
    try {
      await this.#ok({ method: 'POST', command, signal: options.signal });
      return 'dropped';
    } catch (err) {
      if (err instanceof NodeRejectedError && err.errCode === STATUS.DELETE_WRONG_KEY) return 'notFound';
      throw err;
    }
  }

  async readLedger(options: CallOptions = {}): Promise<Record<string, unknown>[]> {
    return this.#json(READ_LEDGER_COMMAND, BlockchainGetResult, options.signal);
  }

  async pushPolicy(policy: Readonly<Record<string, unknown>>, options: CallOptions = {}): Promise<void> {
    await this.#ok({ method: 'POST', command: pushPolicyCommand(policy), signal: options.signal });
  }

  /** GET a command whose answer is JSON and validate it. */
  async #json<S extends TSchema>(
    command: string,
    schema: S,
    signal: AbortSignal | undefined,
  ): Promise<Static<S>> {
    const text = await this.#ok({ method: 'GET', command, signal });
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new NodeResponseError(command, 200, `not JSON: ${text.slice(0, 120)}`);
    }
    const checked = validateBody(schema, parsed);
    if (!checked.ok) throw new NodeResponseError(command, 200, checked.problems.join('; '));
    return checked.value;
  }

  /** Run a command; a non-200 answer becomes NodeRejectedError (or NodeResponseError). */
  async #ok(exchange: Exchange): Promise<string> {
    const answer = await this.#send(exchange);
    if (answer.status === 200) return answer.text;
    throw this.#rejection(exchange.command, answer);
  }

  #rejection(command: string, answer: RawAnswer): Error {
    let parsed: unknown;
    try {
      parsed = JSON.parse(answer.text);
    } catch {
      return new NodeResponseError(
        command,
        answer.status,
        `error body is not JSON: ${answer.text.slice(0, 120)}`,
      );
    }
    const checked = validateBody(NodeErrorBody, parsed);
    if (!checked.ok) return new NodeResponseError(command, answer.status, checked.problems.join('; '));
    const b = checked.value;
    return new NodeRejectedError({
      httpStatus: answer.status,
      errCode: asStatusCode(b.err_code),
      errText: b.err_text,
      command,
      ...(b.local_msg === undefined ? {} : { localMsg: b.local_msg }),
    });
  }

  async #send(exchange: Exchange): Promise<RawAnswer> {
    const started = Date.now();
    const timeouts = new AbortController();
    const connectTimer = setTimeout(() => {
      timeouts.abort(new TimeoutReason('connect'));
    }, this.#connectTimeoutMs);
    const requestTimer = setTimeout(() => {
      timeouts.abort(new TimeoutReason('request'));
    }, this.#requestTimeoutMs);
    const signal =
      exchange.signal === undefined ? timeouts.signal : AbortSignal.any([timeouts.signal, exchange.signal]);
    const init = {
      method: exchange.method,
      headers: {
        'User-Agent': USER_AGENT,
        command: headerBytes(exchange.command),
        ...(exchange.body === undefined ? {} : { 'Content-Type': 'text/plain; charset=utf-8' }),
      },
      ...(exchange.body === undefined ? {} : { body: exchange.body }),
      redirect: 'manual',
      signal,
    } as const;
    try {
      // undici's own fetch goes with its Agent: the global fetch runs Node's bundled undici, whose
      // dispatcher interface need not match this package's version.
      const response =
        this.#agent === undefined
          ? await fetch(this.url, init)
          : await undiciFetch(this.url, { ...init, dispatcher: this.#agent });
      clearTimeout(connectTimer);
      const text = await response.text();
      this.#logger?.debug(
        { command: exchange.command, httpStatus: response.status, ms: Date.now() - started },
        'node command answered',
      );
      return { status: response.status, text };
    } catch (err) {
      throw this.#unreachable(err, timeouts.signal, exchange.signal);
    } finally {
      clearTimeout(connectTimer);
      clearTimeout(requestTimer);
    }
  }

  #unreachable(err: unknown, timeouts: AbortSignal, caller: AbortSignal | undefined): NodeUnreachableError {
    if (caller?.aborted === true)
      return new NodeUnreachableError(this.url, 'aborted', 'call aborted', caller.reason);
    if (timeouts.aborted) {
      const reason: unknown = timeouts.reason;
      const ms =
        reason instanceof TimeoutReason && reason.phase === 'connect'
          ? this.#connectTimeoutMs
          : this.#requestTimeoutMs;
      const phase = reason instanceof TimeoutReason ? reason.phase : 'request';
      return new NodeUnreachableError(this.url, 'timeout', `no answer within ${ms} ms (${phase} timeout)`);
    }
    return new NodeUnreachableError(this.url, 'connect', describeFetchFailure(err), err);
  }
}

export function createHttpNodeClient(options: HttpNodeClientOptions): NodeClient {
  return new HttpNodeClient(options);
}
