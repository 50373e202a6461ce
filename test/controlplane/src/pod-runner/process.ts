// One run of a container's process: spawned detached in its own process
// group, stdout and stderr appended to logs/<container>.log, PID recorded in the run's pids directory so
// teardown can stop it even if the runner dies. kill() sends SIGTERM to the group, SIGKILL after grace.
import { spawnDetached, stopGroup, removePidFile, type Managed } from '../procs.js';

export interface ProcessSpec {
  readonly id: string;
  readonly cmd: string;
  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly logFile: string;
  readonly pidDir: string;
}

export interface ContainerProcess {
  readonly pid: number;
  readonly startedAt: Date;
  /** Exit code, 128+n for a signal. */
  readonly exited: Promise<number>;
  kill(graceMs: number): Promise<void>;
}

export function startProcess(spec: ProcessSpec): ContainerProcess {
  const m: Managed = spawnDetached({
    name: spec.id,
    cmd: spec.cmd,
    args: spec.args,
    env: spec.env,
    cwd: spec.cwd,
    pidDir: spec.pidDir,
    logFile: spec.logFile,
  });
  const exited = m.exited.then(async (code) => {
    // The leader is gone; make sure nothing else of its group lingers, then forget the PID.
    await stopGroup(m.pid, 2000);
    removePidFile(spec.pidDir, spec.id);
    return code;
  });
  return {
    pid: m.pid,
    startedAt: new Date(),
    exited,
    kill: async (graceMs) => {
      await stopGroup(m.pid, graceMs);
      await exited;
    },
  };
}
