/**
 * One timer for every deadline of a coordinator (session timeouts, rebalance delays, offset
 * expiry, transaction timeouts): a min-heap of due times under a single unref'd setTimeout
 * armed for the earliest one, rather than one Node timer per member. Cancelled entries are
 * dropped lazily when they surface, and the heap is rebuilt when they outnumber the live ones,
 * so rescheduling on every heartbeat keeps memory bounded by the live deadlines.
 */
import type { Clock } from '../../common/clock.js';

export interface TimerEntry {
  readonly dueMs: number;
  readonly seq: number;
  readonly fire: () => void;
  cancelled: boolean;
}

/** Entries due within this many ms of the earliest one fire in the same wake-up. */
const COALESCE_MS = 2;

function before(a: TimerEntry, b: TimerEntry): boolean {
  return a.dueMs < b.dueMs || (a.dueMs === b.dueMs && a.seq < b.seq);
}

export class CoarseTimer {
  private heap: TimerEntry[] = [];
  private live = 0;
  private seq = 0;
  private handle: NodeJS.Timeout | undefined;
  private armedDueMs = Infinity;
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Entries not yet fired or cancelled. */
  get size(): number {
    return this.live;
  }

  add(delayMs: number, fire: () => void): TimerEntry {
    const entry: TimerEntry = { dueMs: this.clock.monotonicMs() + Math.max(0, delayMs), seq: this.seq++, fire, cancelled: false };
    if (this.stopped) {
      entry.cancelled = true;
      return entry;
    }
    this.push(entry);
    this.live++;
    this.arm();
    return entry;
  }

  cancel(entry: TimerEntry): void {
    if (entry.cancelled) return;
    entry.cancelled = true;
    this.live--;
    if (this.heap.length > 1024 && this.heap.length > 2 * this.live) this.compact();
  }

  /** Drops every entry; later `add`s are cancelled at once. */
  stop(): void {
    this.stopped = true;
    for (const e of this.heap) e.cancelled = true;
    this.heap = [];
    this.live = 0;
    if (this.handle) clearTimeout(this.handle);
    this.handle = undefined;
    this.armedDueMs = Infinity;
  }

  private arm(): void {
    const top = this.heap[0];
    if (!top || this.stopped) return;
    if (this.handle && top.dueMs >= this.armedDueMs) return;
    if (this.handle) clearTimeout(this.handle);
    this.armedDueMs = top.dueMs;
    this.handle = setTimeout(() => this.tick(), Math.max(0, Math.ceil(top.dueMs - this.clock.monotonicMs())));
    this.handle.unref();
  }

  private tick(): void {
    this.handle = undefined;
    this.armedDueMs = Infinity;
    const limit = this.clock.monotonicMs() + COALESCE_MS;
    for (let top = this.heap[0]; top && top.dueMs <= limit; top = this.heap[0]) {
      this.pop();
      if (top.cancelled) continue;
      top.cancelled = true;
      this.live--;
      try {
        top.fire();
      } catch (e) {
        this.onError(e);
      }
    }
    this.arm();
  }

  private compact(): void {
    const liveEntries = this.heap.filter((e) => !e.cancelled);
    this.heap = [];
    for (const e of liveEntries) this.push(e);
  }

  private push(entry: TimerEntry): void {
    const h = this.heap;
    h.push(entry);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(h[i]!, h[parent]!)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }

  private pop(): void {
    const h = this.heap;
    const last = h.pop()!;
    if (h.length === 0) return;
    h[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let min = i;
      if (l < h.length && before(h[l]!, h[min]!)) min = l;
      if (r < h.length && before(h[r]!, h[min]!)) min = r;
      if (min === i) break;
      [h[i], h[min]] = [h[min]!, h[i]!];
      i = min;
    }
  }
}
