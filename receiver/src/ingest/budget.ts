/**
 * The ingest memory budget: bytes reserved by requests between admission and the moment their rows are
 * written. A request that does not fit waits briefly in a bounded FIFO queue — so a burst of exports is
 * smoothed instead of bounced — and is turned away with retryable backpressure when the wait times out
 * or the queue itself is full. Nothing grows without bound: the queue holds at most one more budget's
 * worth of requests, and those hold only their already-received bodies.
 */
interface Waiter {
  readonly bytes: number;
  readonly resolve: (admitted: boolean) => void;
  timer: NodeJS.Timeout | undefined;
}

export class MemoryBudget {
  #used = 0;
  #queued = 0;
  readonly #waiters: Waiter[] = [];

  constructor(
    readonly limit: number,
    /** How long a request may wait for room before it is turned away (0: never wait). */
    readonly maxWaitMs = 0,
  ) {}

  get used(): number {
    return this.#used;
  }

  /** Bytes of requests waiting for room. */
  get queued(): number {
    return this.#queued;
  }

  #fits(bytes: number): boolean {
    // A request larger than the whole budget is admitted only when nothing else holds memory.
    return this.#used === 0 || this.#used + bytes <= this.limit;
  }

  /** Reserves `bytes`: true at once if they fit and nobody is queued, else after waiting; false if refused. */
  acquire(bytes: number): Promise<boolean> {
    if (this.#waiters.length === 0 && this.#fits(bytes)) {
      this.#used += bytes;
      return Promise.resolve(true);
    }
    if (this.maxWaitMs <= 0 || this.#queued + bytes > this.limit) return Promise.resolve(false);
    return new Promise((resolve) => {
      const waiter: Waiter = { bytes, resolve, timer: undefined };
      waiter.timer = setTimeout(() => this.#giveUp(waiter), this.maxWaitMs);
      this.#waiters.push(waiter);
      this.#queued += bytes;
    });
  }

  release(bytes: number): void {
    this.#used = Math.max(0, this.#used - bytes);
    while (this.#waiters.length > 0 && this.#fits((this.#waiters[0] as Waiter).bytes)) {
      const waiter = this.#waiters.shift() as Waiter;
      clearTimeout(waiter.timer);
      this.#queued -= waiter.bytes;
      this.#used += waiter.bytes;
      waiter.resolve(true);
    }
  }

  #giveUp(waiter: Waiter): void {
    const index = this.#waiters.indexOf(waiter);
    if (index < 0) return;
    this.#waiters.splice(index, 1);
    this.#queued -= waiter.bytes;
    waiter.resolve(false);
  }
}

/**
 * How many bytes of memory a request of `wireBytes` (after decompression) is expected to occupy from
 * decode until its rows are written. Decoded protobuf and mapped rows take several times the wire size;
 * JSON is already verbose on the wire. Measured with bench/ingest (see bench/RESULTS.md).
 */
export function estimateRequestMemory(wireBytes: number, encoding: 'protobuf' | 'json'): number {
  return Math.ceil(wireBytes * (encoding === 'protobuf' ? 8 : 3)) + 4096;
}
