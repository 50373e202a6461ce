// The life of one pod on the runner's node: address, pod directory,
// volumes, service-account kubeconfig, init containers in order, then the containers; status after each
// change; graceful deletion (SIGTERM, wait, SIGKILL, final DELETE with a UID precondition).
import { dirname, join } from 'node:path';
import { isStatus, type Api, type Json } from './api.js';
import { ContainerRunner, type ContainerView } from './container.js';
import { resolveProgram } from './executables.js';
import {
  buildEnv,
  expand,
  linkMounts,
  materialiseVolumes,
  mountPrefixes,
  terminationMessageFile,
  podDirs,
  PodSetupError,
  rewritePaths,
  type PodDirs,
} from './materialise.js';
import { podKubeconfig, type ApiEndpoint } from './service-accounts.js';
import { applyStatus, buildStatus, Conditions } from './status.js';
import { errText, type RunnerLog } from './log.js';
import type { AddressPool } from './addresses.js';

export interface WorkerDeps {
  readonly api: Api;
  readonly log: RunnerLog;
  readonly pool: AddressPool;
  readonly podsDir: string;
  readonly pidDir: string;
  readonly endpoint: ApiEndpoint & { readonly port: number };
  readonly pvcDir: (ns: string, claim: string) => Promise<string>;
  /** Cap on deletion grace periods (10 s in tests). */
  readonly maxGraceMs: number;
}

const waitingView = (c: Json, reason: string): ContainerView => ({
  name: c['name'] as string,
  image: String(c['image'] ?? ''),
  state: { kind: 'waiting', reason },
  lastState: undefined,
  ready: false,
  started: false,
  restartCount: 0,
});

const withMessageFile = (file: string | undefined): { terminationMessageFile?: string } =>
  file === undefined ? {} : { terminationMessageFile: file };

export class PodWorker {
  private podIP: string | undefined;
  private readonly startTime = new Date();
  private readonly conds = new Conditions();
  private readonly init = new Map<string, ContainerRunner>();
  private readonly runners = new Map<string, ContainerRunner>();
  private initialized = false;
  private failure: { reason: string; message: string } | undefined;
  private terminating = false;
  private finished = false;
  private dirty = false;
  private publishing = false;
  private readonly setup: Promise<void>;

  constructor(
    private pod: Json,
    private readonly d: WorkerDeps,
  ) {
    this.setup = this.run().catch((err: unknown) => {
      this.fail(err instanceof PodSetupError ? err.reason : 'RunnerError', errText(err));
    });
  }

  private get ref(): string {
    return `${this.pod['metadata'].namespace}/${this.pod['metadata'].name}`;
  }

  update(pod: Json): void {
    this.pod = pod;
    if (pod['metadata']?.deletionTimestamp !== undefined && !this.terminating) void this.terminate();
  }

  private fail(reason: string, message: string): void {
    this.d.log.warn('pod failed', { pod: this.ref, reason, message });
    this.failure = { reason, message };
    this.touch();
  }

  private prepareSpec(dirs: PodDirs, c: Json, env: Map<string, string>, prefixes: string[]) {
    const program = resolveProgram(c);
    if (program === undefined) {
      throw new PodSetupError(
        'ImageNotMapped',
        `container ${c['name']}: image ${c['image']} / command ${JSON.stringify(c['command'] ?? [])} is not mapped to a local program`,
      );
    }
    const rw = (s: string): string => rewritePaths(s, prefixes, dirs.root);
    const envObj: NodeJS.ProcessEnv = {};
    for (const [k, v] of env) envObj[k] = rw(v);
    let prefix = [...program.prefix];
    if (program.kind === 'postgres') {
      prefix = [
        ...prefix,
        '--pod-ip',
        this.podIP ?? '127.0.0.1',
        '--root',
        dirs.root,
        '--socket-dir',
        // Unix socket paths are limited to 107 bytes: a short directory of the run, per pod IP.
        join(dirname(this.d.podsDir), 'sock', this.podIP ?? '127.0.0.1'),
        '--',
      ];
    }
    const workingDir = c['workingDir'] as string | undefined;
    return {
      id: `pod.${dirs.base.split('/').pop() ?? ''}.${c['name']}`,
      cmd: program.cmd,
      args: [...prefix, ...program.args.map((a) => rw(expand(a, env)))],
      env: envObj,
      cwd: workingDir === undefined ? dirs.root : rw(workingDir),
      logFile: join(dirs.logs, `${c['name']}.log`),
      pidDir: this.d.pidDir,
    };
  }

  private async containerEnv(
    dirs: PodDirs,
    c: Json,
    kubeconfig: string | undefined,
  ): Promise<Map<string, string>> {
    const m = this.pod['metadata'];
    const base: Record<string, string> = {
      PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      HOME: dirs.home,
      HOSTNAME: m.name as string,
      KUBERNETES_SERVICE_HOST: '127.0.0.1',
      KUBERNETES_SERVICE_PORT: String(this.d.endpoint.port),
      ...(kubeconfig === undefined ? {} : { KUBECONFIG: kubeconfig }),
    };
    return buildEnv({ api: this.d.api, pod: this.pod, container: c, podIP: this.podIP ?? '', base });
  }

  private runner(
    dirs: PodDirs,
    c: Json,
    env: Map<string, string>,
    prefixes: string[],
    restartPolicy: string,
  ): ContainerRunner {
    const spec = this.prepareSpec(dirs, c, env, prefixes);
    return new ContainerRunner({
      container: c,
      podIP: this.podIP ?? '127.0.0.1',
      restartPolicy,
      spec,
      log: this.d.log,
      graceMs: this.graceMs(),
      onChange: () => this.touch(),
      ...withMessageFile(terminationMessageFile(c, dirs.root)),
    });
  }

  private graceMs(): number {
    const s = (this.pod['metadata']?.deletionGracePeriodSeconds ??
      this.pod['spec']?.terminationGracePeriodSeconds ??
      30) as number;
    return Math.min(s * 1000, this.d.maxGraceMs);
  }

  private async run(): Promise<void> {
    const phase = this.pod['status']?.phase as string | undefined;
    if (phase === 'Succeeded' || phase === 'Failed') {
      this.finished = true; // a terminal pod never runs again
      return;
    }
    this.podIP = this.d.pool.allocate();
    this.touch();
    const dirs = podDirs(this.d.podsDir, this.pod);
    const volumes = await materialiseVolumes(this.d.api, this.pod, dirs, this.d.pvcDir, this.podIP);
    const kubeconfig = await podKubeconfig(this.d.api, this.pod, dirs.base, this.d.endpoint);
    const prefixes = mountPrefixes(this.pod);
    const policy = (this.pod['spec']?.restartPolicy as string | undefined) ?? 'Always';
    for (const c of (this.pod['spec']?.initContainers ?? []) as Json[]) {
      if (this.terminating) return;
      linkMounts(c, volumes, dirs.root);
      const env = await this.containerEnv(dirs, c, kubeconfig);
      if (c['restartPolicy'] === 'Always') {
        this.init.set(c['name'] as string, this.runner(dirs, c, env, prefixes, 'Always'));
        continue;
      }
      const r = this.runner(dirs, c, env, prefixes, policy === 'Never' ? 'Never' : 'OnFailure');
      this.init.set(c['name'] as string, r);
      await r.done;
      const s = r.view().state;
      if (s.kind !== 'terminated' || s.exitCode !== 0) {
        if (!this.isTerminating()) this.fail('InitContainerFailed', `init container ${c['name']} failed`);
        return;
      }
    }
    this.initialized = true;
    for (const c of (this.pod['spec']?.containers ?? []) as Json[]) {
      if (this.terminating) return;
      linkMounts(c, volumes, dirs.root);
      const env = await this.containerEnv(dirs, c, kubeconfig);
      this.runners.set(c['name'] as string, this.runner(dirs, c, env, prefixes, policy));
    }
    this.touch();
    await Promise.all([...this.runners.values()].map((r) => r.done));
    if (!this.terminating) this.touch();
  }

  /** Read through a method: the flag changes while run() awaits. */
  private isTerminating(): boolean {
    return this.terminating;
  }

  private phase(): 'Pending' | 'Running' | 'Succeeded' | 'Failed' {
    if (this.failure !== undefined) return 'Failed';
    const views = [...this.runners.values()].map((r) => r.view());
    if (!this.initialized || views.length === 0) return 'Pending';
    if (views.every((v) => v.state.kind === 'terminated')) {
      return views.every((v) => v.state.kind === 'terminated' && v.state.exitCode === 0)
        ? 'Succeeded'
        : 'Failed';
    }
    return 'Running';
  }

  private touch(): void {
    this.dirty = true;
    if (!this.publishing) void this.publish();
  }

  private async publish(): Promise<void> {
    this.publishing = true;
    try {
      while (this.dirty && !this.finished) {
        this.dirty = false;
        await new Promise((r) => setTimeout(r, 20));
        const containers = ((this.pod['spec']?.containers ?? []) as Json[]).map(
          (c) =>
            this.runners.get(c['name'] as string)?.view() ??
            waitingView(c, this.failure?.reason ?? 'ContainerCreating'),
        );
        const init = ((this.pod['spec']?.initContainers ?? []) as Json[]).map(
          (c) => this.init.get(c['name'] as string)?.view() ?? waitingView(c, 'PodInitializing'),
        );
        const pids = new Map<string, number>();
        for (const [n, r] of [...this.init, ...this.runners]) if (r.pid !== undefined) pids.set(n, r.pid);
        const status = buildStatus(
          {
            pod: this.pod,
            phase: this.phase(),
            podIP: this.podIP,
            startTime: this.startTime,
            initialized: this.initialized,
            reason: this.failure?.reason,
            message: this.failure?.message,
            init,
            containers,
          },
          this.conds,
          pids,
        );
        try {
          await applyStatus(this.d.api, this.pod, status);
        } catch (err) {
          if (isStatus(err, 404) || isStatus(err, 409)) return;
          // 422: the pod under this name is another one (uid precondition) or the status is invalid;
          // sending the same body again cannot help.
          if (isStatus(err, 422)) {
            this.d.log.warn('status refused', { pod: this.ref, err: errText(err) });
            return;
          }
          this.d.log.warn('status update failed; retrying', { pod: this.ref, err: errText(err) });
          this.dirty = true;
          await new Promise((r) => setTimeout(r, 500));
        }
      }
    } finally {
      this.publishing = false;
    }
  }

  private async stopAll(graceMs: number): Promise<void> {
    await Promise.all([...this.runners.values(), ...this.init.values()].map((r) => r.stop(graceMs)));
  }

  /** Graceful deletion: stop every container, then delete the pod for good (as the kubelet does). */
  async terminate(): Promise<void> {
    if (this.terminating) return;
    this.terminating = true;
    const grace = this.graceMs();
    this.d.log.info('pod terminating', { pod: this.ref, graceMs: grace });
    await this.stopAll(grace);
    await this.setup;
    await this.stopAll(grace);
    this.finished = true;
    const m = this.pod['metadata'];
    try {
      await this.d.api.call('DELETE', `/api/v1/namespaces/${m.namespace}/pods/${m.name}`, {
        apiVersion: 'v1',
        kind: 'DeleteOptions',
        gracePeriodSeconds: 0,
        preconditions: { uid: m.uid },
      });
      this.d.log.info('pod deleted', { pod: this.ref });
    } catch (err) {
      if (!isStatus(err, 404) && !isStatus(err, 409))
        this.d.log.warn('final delete failed', { pod: this.ref, err: errText(err) });
    }
    this.release();
  }

  /** The pod object is gone (deleted without us, or by our final delete): stop and free the address. */
  async gone(): Promise<void> {
    this.terminating = true;
    this.finished = true;
    await this.stopAll(1000);
    await this.setup;
    await this.stopAll(1000);
    this.release();
  }

  private release(): void {
    if (this.podIP !== undefined) this.d.pool.release(this.podIP);
    this.podIP = undefined;
  }
}
