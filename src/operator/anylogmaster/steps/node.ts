// Step 7: reach the node at http(s)://<podIP>:<restPort>/ with `get status`. The pod is
// always addressed by its IP, never by Service name. Failure → NodeReachable=False/NodeUnreachable.
import type { NodeClient } from '../../../nodeclient/index.js';
import type { PassEnv } from '../deps.js';
import type { RestClientTls } from './rest-tls.js';
import { condition, type ConditionOutcome } from '../outcomes.js';

export type ReachResult =
  | { readonly kind: 'reachable'; readonly client: NodeClient; readonly outcome: ConditionOutcome }
  | { readonly kind: 'unreachable'; readonly outcome: ConditionOutcome };

export function unreachableHint(url: string): string {
  return `cannot reach the node REST API at ${url}; check NetworkPolicies and that the REST port is open`;
}

/** NodeReachable=False/NodeUnreachable with the hint, whichever request of the pass failed. */
export function unreachableOutcome(url: string, detail: string): ConditionOutcome {
  return condition('False', 'NodeUnreachable', `${unreachableHint(url)}: ${detail}`);
}

/** `tls`: the client certificate and CA when the node serves REST over TLS. */
export async function reachNode(env: PassEnv, podIP: string, tls?: RestClientTls): Promise<ReachResult> {
  const client = env.deps.nodeClient(podIP, env.spec.network.restPort, env.ctx.logger, tls);
  try {
    const status = await client.getStatus({ signal: env.ctx.signal });
    env.deps.domainMetrics.probed(env.cr.metadata.namespace, env.cr.metadata.name);
    return {
      kind: 'reachable',
      client,
      outcome: condition('True', 'Reachable', `${status.assignedName} ${status.status}`),
    };
  } catch (err) {
    if (env.ctx.signal.aborted) throw err;
    const detail = err instanceof Error ? err.message : String(err);
    env.ctx.logger.info({ url: client.url, detail }, 'node not reachable');
    return { kind: 'unreachable', outcome: unreachableOutcome(client.url, detail) };
  }
}
