// Detached child processes with PID files and log files. Every process gets
// its own process group; its PID file records the PID and the kernel start time, so a later `down`
// never signals a recycled PID. Stopping sends SIGTERM to the group, then SIGKILL after a grace period.
import { spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { constants } from 'node:os';

export interface SpawnOptions {
  readonly name: string;
  readonly cmd: string;
  readonly args: readonly string[];
  readonly pidDir: string;
  readonly logFile: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
}

export interface Managed {
  readonly name: string;
  readonly pid: number;
  /** Resolves with the exit code (or 128+signal) when the leader exits. */
  readonly exited: Promise<number>;
  /** True while the leader has not exited. */
  running(): boolean;
}

interface ProcStat {
  readonly state: string;
  readonly pgrp: number;
  readonly startTime: string;
}

function readStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // rest[0] = state (field 3), rest[2] = pgrp (field 5), rest[19] = starttime (field 22)
    return { state: rest[0] ?? '?', pgrp: Number(rest[2]), startTime: rest[19] ?? '' };
  } catch {
    return undefined;
  }
}

/** Live (non-zombie) members of a process group. */
export function groupMembers(pgid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const st = readStat(Number(entry));
    if (st !== undefined && st.pgrp === pgid && st.state !== 'Z' && st.state !== 'X') out.push(Number(entry));
  }
  return out;
}

export function processAlive(pid: number): boolean {
  const st = readStat(pid);
  return st !== undefined && st.state !== 'Z' && st.state !== 'X';
}

export function startTimeOf(pid: number): string | undefined {
  return readStat(pid)?.startTime;
}

export function writePidFile(pidDir: string, name: string, pid: number): void {
  mkdirSync(pidDir, { recursive: true });
  writeFileSync(join(pidDir, `${name}.pid`), `${pid} ${startTimeOf(pid) ?? ''}\n`);
}

export function removePidFile(pidDir: string, name: string): void {
  rmSync(join(pidDir, `${name}.pid`), { force: true });
}

export interface PidRecord {
  readonly name: string;
  readonly pid: number;
  readonly startTime: string;
}

/** True while the recorded process runs: the same PID with the same start time (not a recycled PID). */
export function recordAlive(r: PidRecord): boolean {
  return processAlive(r.pid) && startTimeOf(r.pid) === r.startTime;
}

export function readPidFiles(pidDir: string): PidRecord[] {
  if (!existsSync(pidDir)) return [];
  const out: PidRecord[] = [];
  for (const f of readdirSync(pidDir)) {
    if (!f.endsWith('.pid')) continue;
    const [pid, startTime] = readFileSync(join(pidDir, f), 'utf8').trim().split(' ');
    if (pid !== undefined && /^\d+$/.test(pid)) {
      out.push({ name: f.slice(0, -4), pid: Number(pid), startTime: startTime ?? '' });
    }
  }
  return out;
}

/** Start a process in its own group, stdout and stderr appended to logFile, PID recorded. */
export function spawnDetached(o: SpawnOptions): Managed {
  const fd = openSync(o.logFile, 'a');
  const child = spawn(o.cmd, [...o.args], {
    detached: true,
    stdio: ['ignore', fd, fd],
    env: o.env ?? process.env,
    cwd: o.cwd,
  });
  closeSync(fd);
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${o.name} (${o.cmd})`);
  writePidFile(o.pidDir, o.name, pid);
  let alive = true;
  const exited = new Promise<number>((resolve) => {
    child.once('exit', (code, signal) => {
      alive = false;
      resolve(code ?? (signal === null ? 1 : 128 + ((constants.signals[signal] as number | undefined) ?? 0)));
    });
  });
  child.unref();
  return { name: o.name, pid, exited, running: () => alive };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function signalGroup(pgid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pgid, sig);
  } catch {
    /* the group is gone */
  }
}

/**
 * Stop a process group: SIGTERM, wait up to graceMs for every member to exit, then SIGKILL.
 * With `startTime`, a PID whose start time differs (recycled) is left alone.
 */
export async function stopGroup(
  pgid: number,
  graceMs = 10_000,
  startTime?: string,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<void> {
  if (startTime !== undefined && startTime !== '') {
    const now = startTimeOf(pgid);
    if (now !== undefined && now !== startTime) return;
  }
  if (groupMembers(pgid).length === 0) return;
  signalGroup(pgid, signal);
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (groupMembers(pgid).length === 0) return;
    await sleep(50);
  }
  signalGroup(pgid, 'SIGKILL');
  const hard = Date.now() + 5000;
  while (Date.now() < hard && groupMembers(pgid).length > 0) await sleep(50);
}

/** Stop every process recorded in pidDir (its PID files), in the given name order first. */
export async function stopRecorded(
  pidDir: string,
  order: readonly string[],
  graceMs = 10_000,
): Promise<void> {
  const records = readPidFiles(pidDir);
  const rank = (n: string): number => {
    const i = order.findIndex((p) => n === p || n.startsWith(`${p}.`));
    return i === -1 ? -1 : i;
  };
  records.sort((a, b) => rank(a.name) - rank(b.name));
  for (const r of records) {
    // PostgreSQL's fast shutdown is SIGINT; SIGTERM would wait for clients to disconnect.
    await stopGroup(r.pid, graceMs, r.startTime, r.name.startsWith('postgres') ? 'SIGINT' : 'SIGTERM');
    removePidFile(pidDir, r.name);
  }
}
