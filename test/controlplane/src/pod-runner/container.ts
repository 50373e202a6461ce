// Runs one container of a pod: starts its process, restarts it per restartPolicy
// with a 1 s backoff doubling to 30 s (CrashLoopBackOff while waiting), runs startup, liveness and
// readiness probes, and keeps the container status (state, lastState, ready, started, restartCount).
// A terminated state carries the termination message the process left in its terminationMessagePath file.
import { readFileSync } from 'node:fs';
import type { Json } from './api.js';
import { startProcess, type ContainerProcess, type ProcessSpec } from './process.js';
import { runProbe, timing } from './probes.js';
import type { RunnerLog } from './log.js';

export type State =
  | { readonly kind: 'waiting'; readonly reason: string; readonly message?: string }
  | { readonly kind: 'running'; readonly startedAt: Date }
  | {
      readonly kind: 'terminated';
      readonly exitCode: number;
      readonly reason: string;
      readonly startedAt: Date;
      readonly finishedAt: Date;
      readonly message?: string;
    };

export interface ContainerView {
  readonly name: string;
  readonly image: string;
  readonly state: State;
  readonly lastState: State | undefined;
  readonly ready: boolean;
  readonly started: boolean;
  readonly restartCount: number;
}

export interface ContainerOptions {
  readonly container: Json;
  readonly podIP: string;
  readonly restartPolicy: string;
  readonly spec: ProcessSpec;
  readonly log: RunnerLog;
  readonly graceMs: number;
  readonly onChange: () => void;
  /** Host path of the container's terminationMessagePath file, when the pod runner provides one. */
  readonly terminationMessageFile?: string;
}

/** Kubernetes keeps at most 4096 bytes of a termination message. */
const MESSAGE_MAX_BYTES = 4096;

function terminationMessage(file: string | undefined): { message?: string } {
  if (file === undefined) return {};
  try {
    const text = readFileSync(file).subarray(0, MESSAGE_MAX_BYTES).toString('utf8');
    return text === '' ? {} : { message: text };
  } catch {
    return {};
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class ContainerRunner {
  private state: State = { kind: 'waiting', reason: 'ContainerCreating' };
  private lastState: State | undefined;
  private ready = false;
  private started = false;
  private restartCount = 0;
  private proc: ContainerProcess | undefined;
  private stopping = false;
  private wake: (() => void) | undefined;
  private generation = 0;
  /** Resolves when the container will never run again. */
  readonly done: Promise<void>;

  constructor(private readonly o: ContainerOptions) {
    this.done = this.loop();
  }

  view(): ContainerView {
    return {
      name: this.o.container['name'] as string,
      image: String(this.o.container['image'] ?? ''),
      state: this.state,
      lastState: this.lastState,
      ready: this.ready,
      started: this.started,
      restartCount: this.restartCount,
    };
  }

  get pid(): number | undefined {
    return this.proc?.pid;
  }

  /** Stop for good: SIGTERM to the group, SIGKILL after graceMs. */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.proc?.kill(graceMs);
    await this.done;
  }

  /** Read through a method: the flag changes while loop() awaits. */
  private isStopping(): boolean {
    return this.stopping;
  }

  private set(s: { state?: State; ready?: boolean; started?: boolean }): void {
    if (s.state !== undefined) this.state = s.state;
    if (s.ready !== undefined) this.ready = s.ready;
    if (s.started !== undefined) this.started = s.started;
    this.o.onChange();
  }

  private async pause(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
    this.wake = undefined;
  }

  private async loop(): Promise<void> {
    let backoff = 1000;
    for (;;) {
      if (this.stopping) return;
      const proc = startProcess(this.o.spec);
      this.proc = proc;
      const gen = ++this.generation;
      this.set({ state: { kind: 'running', startedAt: proc.startedAt }, ready: false, started: false });
      void this.probeLoop(gen, proc);
      const code = await proc.exited;
      const finishedAt = new Date();
      const terminated: State = {
        kind: 'terminated',
        exitCode: code,
        reason: code === 0 ? 'Completed' : 'Error',
        startedAt: proc.startedAt,
        finishedAt,
        ...terminationMessage(this.o.terminationMessageFile),
      };
      this.generation++;
      if (this.isStopping()) {
        this.set({ state: terminated, ready: false, started: false });
        return;
      }
      const restart =
        this.o.restartPolicy === 'Always' || (this.o.restartPolicy === 'OnFailure' && code !== 0);
      if (!restart) {
        this.set({ state: terminated, ready: false, started: false });
        return;
      }
      if (finishedAt.getTime() - proc.startedAt.getTime() > 60_000) backoff = 1000;
      this.lastState = terminated;
      this.restartCount++;
      this.set({
        state: {
          kind: 'waiting',
          reason: 'CrashLoopBackOff',
          message: `back-off ${backoff / 1000}s restarting failed container`,
        },
        ready: false,
        started: false,
      });
      this.o.log.info('container exited; restarting', {
        container: this.o.spec.id,
        code,
        backoffMs: backoff,
      });
      await this.pause(backoff);
      backoff = Math.min(backoff * 2, 30_000);
    }
  }

  private async probeLoop(gen: number, proc: ContainerProcess): Promise<void> {
    const c = this.o.container;
    const alive = (): boolean => gen === this.generation && !this.stopping;
    const startup = c['startupProbe'] as Json | undefined;
    if (startup !== undefined) {
      const t = timing(startup);
      await sleep(t.initialDelayMs);
      let failures = 0;
      for (;;) {
        if (!alive()) return;
        if (await runProbe(startup, c, this.o.podIP, this.o.log)) break;
        if (++failures >= t.failureThreshold) {
          this.o.log.warn('startup probe failed; killing container', { container: this.o.spec.id });
          await proc.kill(this.o.graceMs);
          return;
        }
        await sleep(t.periodMs);
      }
    }
    if (!alive()) return;
    this.set({ started: true });
    void this.readinessLoop(gen, alive);
    const liveness = c['livenessProbe'] as Json | undefined;
    if (liveness === undefined) return;
    const t = timing(liveness);
    await sleep(t.initialDelayMs);
    let failures = 0;
    while (alive()) {
      if (await runProbe(liveness, c, this.o.podIP, this.o.log)) failures = 0;
      else if (++failures >= t.failureThreshold) {
        if (!alive()) return;
        this.o.log.warn('liveness probe failed; restarting container', { container: this.o.spec.id });
        await proc.kill(this.o.graceMs);
        return;
      }
      await sleep(t.periodMs);
    }
  }

  private async readinessLoop(gen: number, alive: () => boolean): Promise<void> {
    const c = this.o.container;
    const readiness = c['readinessProbe'] as Json | undefined;
    if (readiness === undefined) {
      this.set({ ready: true });
      return;
    }
    const t = timing(readiness);
    // Poll quickly until first success so pods become Ready soon after their server is up.
    await sleep(t.initialDelayMs);
    let ok = 0;
    let bad = 0;
    while (alive() && gen === this.generation) {
      const pass = await runProbe(readiness, c, this.o.podIP, this.o.log);
      if (!alive()) return;
      if (pass) {
        bad = 0;
        if (++ok >= t.successThreshold && !this.ready) this.set({ ready: true });
      } else {
        ok = 0;
        if (++bad >= t.failureThreshold && this.ready) this.set({ ready: false });
      }
      await sleep(this.ready ? t.periodMs : Math.min(t.periodMs, 1000));
    }
  }
}
