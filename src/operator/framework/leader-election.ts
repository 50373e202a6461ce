// Lease-based leader election: coordination.k8s.io/v1 Lease, 15 s duration,
// 10 s renew deadline, 2 s retry period, acquire and renew by update with the last seen
// resourceVersion (compare-and-swap). Expiry is judged by local observation time, as client-go does,
// so clock skew between replicas does not matter. While leading, a renewal is one PUT on the lease this
// instance last wrote (client-go's fast path); a 409 falls back to GET and compare. release() empties
// holderIdentity on shutdown. A replica refused access to the lease (401/403: missing RBAC) can never
// lead; health() reports it so /readyz fails and a rollout with broken RBAC stops instead of replacing
// working replicas.
import type { Clock } from '../../common/clock.js';
import type { Logger } from '../../common/logger.js';
import {
  isConflict,
  isAlreadyExists,
  isUnauthorized,
  type KubeApi,
  type KubeObject,
  type ResourceType,
} from './kube.js';
import type { Metrics } from './metrics.js';
import type { CheckResult } from './health.js';
import { microTime } from './events.js';

export const LEASES_V1: ResourceType = {
  group: 'coordination.k8s.io',
  version: 'v1',
  plural: 'leases',
  kind: 'Lease',
  namespaced: true,
};

export interface LeaderElectorOptions {
  readonly kube: KubeApi;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly namespace: string;
  readonly name: string;
  readonly identity: string;
  readonly fieldManager: string;
  readonly leaseDurationMs?: number;
  readonly renewDeadlineMs?: number;
  readonly retryPeriodMs?: number;
}

interface LeaseSpec {
  readonly holderIdentity?: string;
  readonly leaseDurationSeconds?: number;
  readonly acquireTime?: string;
  readonly renewTime?: string;
  readonly leaseTransitions?: number;
}

/** The spec written to take or renew the lease. */
function nextSpec(
  spec: LeaseSpec,
  at: { identity: string; now: string; durationSeconds: number; mine: boolean },
): LeaseSpec {
  return {
    holderIdentity: at.identity,
    leaseDurationSeconds: at.durationSeconds,
    acquireTime: at.mine && spec.acquireTime !== undefined ? spec.acquireTime : at.now,
    renewTime: at.now,
    leaseTransitions: (spec.leaseTransitions ?? 0) + (at.mine ? 0 : 1),
  };
}

export type ElectionEnd = 'stopped' | 'lost';

function specOf(lease: KubeObject): LeaseSpec {
  const spec = lease['spec'];
  return typeof spec === 'object' && spec !== null ? spec : {};
}

export class LeaderElector {
  readonly #o: LeaderElectorOptions;
  readonly #durationMs: number;
  readonly #deadlineMs: number;
  readonly #retryMs: number;
  #observed: string | undefined;
  #observedAt = 0;
  #leading = false;
  /** The lease as this instance last wrote it (its resourceVersion guards the next renewal). */
  #written: KubeObject | undefined;
  /** Why the last attempt was refused by the apiserver (401/403), until an attempt gets through. */
  #refused: string | undefined;

  constructor(options: LeaderElectorOptions) {
    this.#o = options;
    this.#durationMs = options.leaseDurationMs ?? 15_000;
    this.#deadlineMs = options.renewDeadlineMs ?? 10_000;
    this.#retryMs = options.retryPeriodMs ?? 2_000;
  }

  get isLeader(): boolean {
    return this.#leading;
  }

  /** Not ok while the apiserver refuses this replica the lease (it could never lead). */
  health(): CheckResult {
    return this.#refused === undefined ? { ok: true } : { ok: false, reason: this.#refused };
  }

  /**
   * Campaigns until leadership is acquired, calls onStartedLeading, then renews until the lease is
   * lost ('lost') or `signal` aborts ('stopped'). Never rejects.
   */
  async run(signal: AbortSignal, onStartedLeading: () => void): Promise<ElectionEnd> {
    while (!signal.aborted && !(await this.#tryAcquireOrRenew(signal))) {
      if (!(await this.#pause(this.#retryMs, signal))) return 'stopped';
    }
    if (signal.aborted) return 'stopped';
    this.#setLeading(true);
    this.#o.logger.info({ lease: this.#o.name, identity: this.#o.identity }, 'acquired leadership');
    onStartedLeading();
    let lastRenew = this.#o.clock.monotonic();
    for (;;) {
      if (!(await this.#pause(this.#retryMs, signal))) return 'stopped';
      if (await this.#tryAcquireOrRenew(signal)) {
        lastRenew = this.#o.clock.monotonic();
      } else if (this.#heldByOther() || this.#o.clock.monotonic() - lastRenew > this.#deadlineMs) {
        this.#setLeading(false);
        this.#o.logger.error({ lease: this.#o.name }, 'lost leadership');
        return 'lost';
      }
    }
  }

  /** Gives the lease up (empty holderIdentity) if this instance holds it. Never rejects. */
  async release(): Promise<void> {
    if (!this.#leading) return;
    this.#setLeading(false);
    this.#written = undefined;
    try {
      const lease = await this.#o.kube.get(LEASES_V1, { namespace: this.#o.namespace, name: this.#o.name });
      if (lease === undefined || specOf(lease).holderIdentity !== this.#o.identity) return;
      const now = microTime(this.#o.clock.now());
      const spec = {
        ...specOf(lease),
        holderIdentity: '',
        leaseDurationSeconds: 1,
        renewTime: now,
        acquireTime: now,
      };
      await this.#o.kube.replace(LEASES_V1, { ...lease, spec }, { fieldManager: this.#o.fieldManager });
      this.#o.logger.info({ lease: this.#o.name }, 'released leadership');
    } catch (err) {
      this.#o.logger.warn({ err }, 'could not release the lease; standbys take over when it expires');
    }
  }

  #setLeading(leading: boolean): void {
    this.#leading = leading;
    this.#o.metrics.framework.leaderElectionMasterStatus.set({ name: this.#o.name }, leading ? 1 : 0);
  }

  #heldByOther(): boolean {
    return this.#observed !== undefined && this.#observed !== '' && this.#observed !== this.#o.identity;
  }

  async #pause(ms: number, signal: AbortSignal): Promise<boolean> {
    try {
      await this.#o.clock.sleep(ms, signal);
      return true;
    } catch {
      return false;
    }
  }

  async #tryAcquireOrRenew(signal: AbortSignal): Promise<boolean> {
    try {
      const ok = await this.#attempt(signal);
      this.#refused = undefined;
      return ok;
    } catch (err) {
      if (isUnauthorized(err)) {
        const reason = `leader election: access to Lease ${this.#o.namespace}/${this.#o.name} refused (${
          err instanceof Error ? err.message : String(err)
        }); the operator's Role must allow get, create and update on leases`;
        // Once per change, not every retry period.
        if (reason !== this.#refused) this.#o.logger.error({ err }, reason);
        this.#refused = reason;
        return false;
      }
      this.#refused = undefined;
      if (!isConflict(err) && !isAlreadyExists(err) && !signal.aborted) {
        this.#o.logger.warn({ err }, 'lease update failed');
      }
      return false;
    }
  }

  /** Leading: renew by one PUT on the lease last written; false when it changed meanwhile (409). */
  async #renewWritten(signal: AbortSignal): Promise<boolean> {
    const written = this.#written;
    if (!this.#leading || written === undefined) return false;
    const { kube, clock, identity, fieldManager } = this.#o;
    const now = microTime(clock.now());
    const durationSeconds = Math.round(this.#durationMs / 1000);
    const next = nextSpec(specOf(written), { identity, now, durationSeconds, mine: true });
    try {
      const updated = await kube.replace(LEASES_V1, { ...written, spec: next }, { fieldManager, signal });
      this.#written = updated;
      this.#observe(identity, `${identity}|${now}|${updated.metadata.resourceVersion ?? ''}`);
      return true;
    } catch (err) {
      this.#written = undefined;
      if (isConflict(err)) return false;
      throw err;
    }
  }

  async #attempt(signal: AbortSignal): Promise<boolean> {
    if (await this.#renewWritten(signal)) return true;
    const { kube, clock, namespace, name, identity, fieldManager } = this.#o;
    const now = microTime(clock.now());
    const durationSeconds = Math.round(this.#durationMs / 1000);
    const lease = await kube.get(LEASES_V1, { namespace, name }, signal);
    if (lease === undefined) return this.#create(now, signal);
    const spec = specOf(lease);
    const holder = spec.holderIdentity ?? '';
    this.#observe(holder, `${holder}|${spec.renewTime ?? ''}|${lease.metadata.resourceVersion ?? ''}`);
    const mine = holder === identity;
    if (holder !== '' && !mine && clock.monotonic() - this.#observedAt < this.#durationMs) return false;
    const next = nextSpec(spec, { identity, now, durationSeconds, mine });
    const updated = await kube.replace(LEASES_V1, { ...lease, spec: next }, { fieldManager, signal });
    this.#written = updated;
    this.#observe(identity, `${identity}|${now}|${updated.metadata.resourceVersion ?? ''}`);
    return true;
  }

  async #create(now: string, signal: AbortSignal): Promise<boolean> {
    const { kube, namespace, name, identity, fieldManager } = this.#o;
    const spec = {
      holderIdentity: identity,
      leaseDurationSeconds: Math.round(this.#durationMs / 1000),
      acquireTime: now,
      renewTime: now,
      leaseTransitions: 0,
    };
    const body = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace }, spec };
    this.#written = await kube.create(LEASES_V1, body, { fieldManager, signal });
    this.#observe(identity, `${identity}|${now}|created`);
    return true;
  }

  /** Records the holder and restarts the expiry clock whenever the record changed. */
  #observe(holder: string, record: string): void {
    if (this.#observedRecord === record) return;
    this.#observedRecord = record;
    this.#observed = holder;
    this.#observedAt = this.#o.clock.monotonic();
  }

  #observedRecord: string | undefined;
}
