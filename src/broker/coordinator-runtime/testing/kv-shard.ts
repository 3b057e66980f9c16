/**
 * A small key-value shard for runtime tests: `put` writes records, `putTransactional` writes
 * them as a producer's transaction (pending until its marker), `join` answers later, `expireLater`
 * arms a timer, `fail` throws. Records replayed at load, with their ReplayContext, and markers
 * heard are kept for assertions.
 */
import {
  type CoordinatorResult, type CoordinatorShard, DeferredResponse, type ReplayContext, type TimerResult,
} from '../../../coordinator/runtime-api.js';
import type { RecordSerde, ShardContext } from '../service-api.js';

export interface KvRecord {
  readonly key: string;
  /** null: a tombstone. */
  readonly value: string | null;
}

export const kvSerde: RecordSerde<KvRecord> = {
  encode: (r) => ({ key: Buffer.from(r.key), value: r.value === null ? null : Buffer.from(r.value) }),
  // Keys starting with "other:" stand for record types this coordinator does not handle.
  decode: (key, value) => (key.toString().startsWith('other:') ? null : { key: key.toString(), value: value === null ? null : value.toString() }),
};

export class KvShard implements CoordinatorShard<KvRecord> {
  static created: KvShard[] = [];
  readonly committed = new Map<string, string>();
  readonly pending = new Map<bigint, Map<string, string | null>>();
  /** The context of every record replayed from the log. */
  readonly replayed: ReplayContext[] = [];
  /** "producerId/epoch commit|abort" for every marker heard. */
  readonly markers: string[] = [];
  loaded = false;
  unloaded = false;
  private readonly joins: DeferredResponse<string>[] = [];

  constructor(readonly context: ShardContext<KvRecord>) {
    KvShard.created.push(this);
  }

  replay(record: KvRecord, context: ReplayContext): void {
    this.replayed.push(context);
    if (context.isTransactional) this.pendingOf(context.producerId).set(record.key, record.value);
    else this.apply(record);
  }

  replayEndTransaction(producerId: bigint, producerEpoch: number, committed: boolean): void {
    this.markers.push(`${producerId}/${producerEpoch} ${committed ? 'commit' : 'abort'}`);
    const pending = this.pending.get(producerId);
    this.pending.delete(producerId);
    if (!committed || !pending) return;
    for (const [key, value] of pending) this.apply({ key, value });
  }

  onLoaded(): void {
    this.loaded = true;
  }

  onUnloaded(): void {
    this.unloaded = true;
    for (const j of this.joins.splice(0)) j.complete('NOT_COORDINATOR');
  }

  put(entries: readonly (readonly [string, string | null])[]): CoordinatorResult<string, KvRecord> {
    const records = entries.map(([key, value]) => ({ key, value }));
    for (const r of records) this.apply(r);
    return { records, response: `put ${records.length}` };
  }

  putTransactional(producerId: bigint, producerEpoch: number, entries: readonly (readonly [string, string])[]): CoordinatorResult<string, KvRecord> {
    const records = entries.map(([key, value]) => ({ key, value }));
    for (const r of records) this.pendingOf(producerId).set(r.key, r.value);
    return { records, response: `pending ${records.length}`, transactional: { producerId, producerEpoch } };
  }

  get(key: string): string | undefined {
    return this.committed.get(key);
  }

  /** One record now; the answer once `release` runs. */
  join(key: string): CoordinatorResult<string, KvRecord> {
    const deferred = new DeferredResponse<string>();
    this.joins.push(deferred);
    return { records: [{ key, value: 'joined' }], response: deferred };
  }

  release(answer: string): void {
    for (const j of this.joins.splice(0)) j.complete(answer);
  }

  /** After `delayMs` writes key=value; `onDurable` runs once that record is durable. */
  expireLater(key: string, delayMs: number, value: string, onDurable?: () => void): CoordinatorResult<null, KvRecord> {
    this.context.timer.schedule(key, delayMs, (): TimerResult<KvRecord> => {
      const record = { key, value };
      this.apply(record);
      return onDurable ? { records: [record], onDurable } : [record];
    });
    return { records: [], response: null };
  }

  fail(): never {
    throw new Error('boom');
  }

  private apply(record: KvRecord): void {
    if (record.value === null) this.committed.delete(record.key);
    else this.committed.set(record.key, record.value);
  }

  private pendingOf(producerId: bigint): Map<string, string | null> {
    let pending = this.pending.get(producerId);
    if (!pending) this.pending.set(producerId, (pending = new Map()));
    return pending;
  }
}
