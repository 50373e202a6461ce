// Job slots for requests that wait for peer replies: 64 slots (JOB_LOCATION),
// a node-wide JOB_ID counter from 1 wrapping after 2^32 − 1, one receiver per destination. Replies are
// matched by (location, id, receiver); a job ends when every receiver completed or its timeout passed.
import type { Clock, TimerHandle } from '../../common/clock.js';
import type { PeerReply } from '../ports/network.js';
import { PeerError } from './errors.js';
import { STATUS } from '../../contract/status-codes.js';

export const JOB_SLOTS = 64;
const MAX_JOB_ID = 0xffff_ffff;

/** A reply as stored for one receiver. */
export type ReceivedReply = Pick<PeerReply, 'kind' | 'text' | 'code'>;

export class Job {
  readonly replies: (ReceivedReply | undefined)[];
  private remaining: number;
  private resolveDone: (() => void) | undefined;
  readonly finished: Promise<void>;
  timer: TimerHandle | undefined;

  constructor(
    readonly location: number,
    readonly id: number,
    readonly destinations: readonly string[],
    private readonly onDone: () => void = () => undefined,
  ) {
    this.replies = destinations.map(() => undefined);
    this.remaining = destinations.length;
    this.finished = new Promise<void>((resolve) => {
      this.resolveDone = resolve;
    });
  }

  /** Store a receiver's reply; the first reply per receiver wins. Returns false when not stored. */
  complete(receiverId: number, reply: ReceivedReply): boolean {
    if (receiverId < 0 || receiverId >= this.replies.length || this.replies[receiverId] !== undefined)
      return false;
    this.replies[receiverId] = reply;
    this.remaining -= 1;
    if (this.remaining === 0) this.finish();
    return true;
  }

  finish(): void {
    if (this.resolveDone === undefined) return;
    this.timer?.cancel();
    this.onDone();
    this.resolveDone();
    this.resolveDone = undefined;
  }

  /** Replies in destination order; silent receivers become 'timeout'. */
  results(): PeerReply[] {
    return this.destinations.map((destination, i) => {
      const r = this.replies[i];
      return r === undefined
        ? { destination, kind: 'timeout', text: '', code: STATUS.TIMEOUT }
        : { destination, ...r };
    });
  }
}

export class JobTable {
  private readonly slots: (Job | undefined)[] = new Array<Job | undefined>(JOB_SLOTS).fill(undefined);
  private nextId = 1;

  get busy(): number {
    return this.slots.filter((s) => s !== undefined).length;
  }

  /** Take a free slot and the next id; 108 when every slot is busy. */
  allocate(destinations: readonly string[], timeoutMs: number, clock: Clock): Job {
    const location = this.slots.indexOf(undefined);
    if (location < 0) throw new PeerError(STATUS.NO_RESOURCES, 'All job slots are busy');
    const id = this.nextId;
    this.nextId = id >= MAX_JOB_ID ? 1 : id + 1;
    const job: Job = new Job(location, id, destinations, () => {
      if (this.slots[location] === job) this.slots[location] = undefined;
    });
    if (destinations.length === 0) {
      job.finish();
      return job;
    }
    this.slots[location] = job;
    job.timer = clock.setTimer(timeoutMs, () => {
      job.finish();
    });
    return job;
  }

  /** Deliver a reply message; false for unknown or expired jobs (dropped by the caller). */
  deliver(location: number, id: number, receiverId: number, reply: ReceivedReply): boolean {
    const job = this.slots[location];
    if (job?.id !== id) return false;
    return job.complete(receiverId, reply);
  }
}
