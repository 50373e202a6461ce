// Schedulers 0–10 on the injected Clock: each running scheduler checks its tasks
// when it starts and then every 10 s, running its due tasks one after the other (a task never overlaps itself);
// results go to the console, failures are logged and recorded. Implements the SchedulerControl port.
import type { ExecContext, CommandResult } from '../ports/command.js';
import type { Clock, TimerHandle } from '../../common/clock.js';
import type { LogPort as Logger } from '../../common/log-port.js';
import type { ScheduleRequest, SchedulerControl, TaskInfo } from '../ports/runtime.js';
import { statusText, STATUS } from '../../contract/status-codes.js';

export const TICK_MS = 10_000;
export const MAX_SCHEDULER_ID = 10;

interface Task {
  id: number;
  mode: TaskInfo['mode'];
  name: string;
  counter: number;
  runStatus: string;
  readonly createdMs: number;
  readonly startMs: number;
  readonly repeatSeconds: number;
  readonly command: string;
  lastStartMs: number | undefined;
  running: boolean;
}

interface Slot {
  running: boolean;
  declared: boolean;
  tasks: Task[];
  timer: TimerHandle | undefined;
  startedMs: number;
  ticks: number;
  busy: Promise<void> | undefined;
}

/** What schedulers need from the node, read at call time. */
export interface SchedulerHost {
  readonly clock: Clock;
  readonly logger: Logger;
  execute(text: string, ctx: ExecContext): Promise<CommandResult>;
}

/** `YYYY-MM-DD HH:MM:SS.ffffff` in node local time. */
export function formatLocalTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  const date = `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
  return `${date} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}000`;
}

export class Schedulers implements SchedulerControl {
  private readonly slots = new Map<number, Slot>();
  private stopped = false;

  constructor(
    private readonly host: () => SchedulerHost,
    private readonly console: (text: string) => void,
  ) {}

  private slot(id: number): Slot {
    let slot = this.slots.get(id);
    if (slot === undefined) {
      slot = {
        running: false,
        declared: false,
        tasks: [],
        timer: undefined,
        startedMs: 0,
        ticks: 0,
        busy: undefined,
      };
      this.slots.set(id, slot);
    }
    return slot;
  }

  start(id: number): boolean {
    const slot = this.slot(id);
    if (slot.running || this.stopped) return false;
    slot.running = true;
    slot.declared = true;
    slot.startedMs = this.host().clock.monotonic();
    slot.ticks = 0;
    // EdgeLake's scheduler loop looks at its tasks before its first sleep: due tasks (the system
    // `Metadata Ping` at boot) run at once, not 10 s later.
    this.wake(slot);
    this.arm(id, slot);
    return true;
  }

  private wake(slot: Slot): void {
    if (slot.busy !== undefined) return;
    slot.busy = this.runDue(slot).finally(() => {
      slot.busy = undefined;
    });
  }

  private arm(id: number, slot: Slot): void {
    const clock = this.host().clock;
    slot.ticks += 1;
    const due = slot.startedMs + slot.ticks * TICK_MS;
    slot.timer = clock.setTimer(Math.max(0, due - clock.monotonic()), () => {
      if (!slot.running) return;
      this.wake(slot);
      this.arm(id, slot);
    });
  }

  /** Run every due task in order; a task removed while an earlier one runs is not started. */
  async runDue(slot: Slot): Promise<void> {
    for (const task of [...slot.tasks]) {
      const now = this.host().clock.now();
      const due =
        slot.tasks.includes(task) &&
        task.mode !== 'Stopped' &&
        now >= task.startMs &&
        (task.lastStartMs === undefined || now >= task.lastStartMs + task.repeatSeconds * 1000);
      if (due && slot.running) await this.runTask(task);
    }
  }

  private async runTask(task: Task): Promise<void> {
    if (task.running) return;
    const host = this.host();
    task.running = true;
    task.lastStartMs = host.clock.now();
    // Counted and marked Active when the run starts, as EdgeLake does; until the command answers the
    // run status is that of a successful run (EdgeLake's initial return value).
    task.counter += 1;
    if (task.mode === 'Paused') task.mode = 'Active';
    task.runStatus = statusText(STATUS.SUCCESS);
    try {
      const result = await host.execute(task.command, {
        source: 'scheduler',
        assigned: false,
        console: this.console,
      });
      task.runStatus = statusText(result.code);
      if (result.code === STATUS.SUCCESS && result.text !== undefined && result.text !== '')
        this.console(result.text);
      if (result.code !== STATUS.SUCCESS)
        host.logger.warn(
          { task: task.name, code: result.code, detail: result.detail },
          'scheduled task failed',
        );
    } catch (error) {
      task.runStatus = statusText(STATUS.PROCESS_FAILURE);
      host.logger.error({ err: error, task: task.name }, 'scheduled task threw');
    } finally {
      task.running = false;
    }
  }

  isRunning(id: number): boolean {
    return this.slots.get(id)?.running ?? false;
  }

  runningIds(): readonly number[] {
    return [...this.slots.entries()]
      .filter(([, s]) => s.running)
      .map(([id]) => id)
      .sort((a, b) => a - b);
  }

  isDeclared(id: number): boolean {
    return this.slots.get(id)?.declared ?? false;
  }

  addTask(request: ScheduleRequest): number | undefined {
    const slot = this.slot(request.schedulerId);
    if (slot.tasks.some((t) => t.name === request.name)) return undefined;
    let id = 1;
    while (slot.tasks.some((t) => t.id === id)) id += 1;
    slot.declared = true;
    slot.tasks.push({
      id,
      mode: 'Paused',
      name: request.name,
      counter: 0,
      runStatus: 'No runs',
      createdMs: this.host().clock.now(),
      startMs: request.startMs,
      repeatSeconds: request.repeatSeconds,
      command: request.command,
      lastStartMs: undefined,
      running: false,
    });
    slot.tasks.sort((a, b) => a.id - b.id);
    return id;
  }

  tasks(id: number): readonly TaskInfo[] {
    return (this.slots.get(id)?.tasks ?? []).map((t) => ({
      id: t.id,
      mode: t.mode,
      name: t.name,
      counter: t.counter,
      runStatus: t.runStatus,
      startTime: formatLocalTime(Math.max(t.createdMs, t.startMs)),
      repeatSeconds: t.repeatSeconds,
      command: t.command,
    }));
  }

  async taskOp(
    id: number,
    op: 'stop' | 'resume' | 'remove' | 'run',
    selector: { name?: string; id?: number },
  ): Promise<boolean> {
    const slot = this.slots.get(id);
    const task = slot?.tasks.find((t) =>
      selector.id !== undefined ? t.id === selector.id : t.name === selector.name,
    );
    if (slot === undefined || task === undefined) return false;
    if (op === 'stop') task.mode = 'Stopped';
    else if (op === 'resume') task.mode = 'Active';
    else if (op === 'remove') slot.tasks = slot.tasks.filter((t) => t !== task);
    else await this.runTask(task);
    return true;
  }

  async stopAll(): Promise<void> {
    this.stopped = true;
    const pending: Promise<void>[] = [];
    for (const slot of this.slots.values()) {
      slot.running = false;
      slot.timer?.cancel();
      if (slot.busy !== undefined) pending.push(slot.busy);
    }
    await Promise.allSettled(pending);
  }
}
