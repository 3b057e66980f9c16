/**
 * The capture server's storage: per topic, per partition, the record batches clients produced,
 * kept as bytes. Only the batch header fields the offsets need are read (base offset, length,
 * magic, last offset delta); the records inside stay opaque, as on the broker's hot path.
 */
import { createHash } from 'node:crypto';
import { type Uuid, uuidFromBytes } from '../../src/protocol/index.js';

export interface StoredBatch {
  baseOffset: bigint;
  lastOffset: bigint;
  bytes: Buffer;
}

export interface PartitionLog {
  batches: StoredBatch[];
  /** Next offset to assign; also the high watermark (every append is committed at once). */
  nextOffset: bigint;
}

export interface TopicLog {
  name: string;
  topicId: Uuid;
  partitions: PartitionLog[];
}

const BATCH_HEADER_SIZE = 61;
const MAGIC_OFFSET = 16;
const LAST_OFFSET_DELTA_OFFSET = 23;

/** Splits a `records` field into v2 batches by their length prefix; throws on a torn or old batch. */
export function splitBatches(records: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let pos = 0;
  while (pos < records.length) {
    if (records.length - pos < BATCH_HEADER_SIZE) throw new Error(`torn batch header at ${pos}`);
    const end = pos + 12 + records.readInt32BE(pos + 8);
    if (end > records.length || end - pos < BATCH_HEADER_SIZE) throw new Error(`batch at ${pos} overruns the records`);
    if (records[pos + MAGIC_OFFSET] !== 2) throw new Error(`batch at ${pos} has magic ${records[pos + MAGIC_OFFSET]}`);
    out.push(records.subarray(pos, end));
    pos = end;
  }
  return out;
}

/** A stable topic id from the name, so fixtures captured twice come out the same. */
export function topicIdFor(name: string): Uuid {
  return uuidFromBytes(createHash('sha256').update(name).digest().subarray(0, 16));
}

export class MemoryLog {
  private readonly topics = new Map<string, TopicLog>();
  private waiters = new Set<() => void>();

  constructor(private readonly partitionCount: number) {}

  /** The topic, created with the default partition count when it does not exist (auto-creation). */
  topic(name: string): TopicLog {
    return this.topics.get(name) ?? this.create(name, this.partitionCount)!;
  }

  /** A new topic with `partitions` partitions; undefined when the name is taken. */
  create(name: string, partitions: number): TopicLog | undefined {
    if (this.topics.has(name)) return undefined;
    const t: TopicLog = { name, topicId: topicIdFor(name), partitions: Array.from({ length: partitions }, () => ({ batches: [], nextOffset: 0n })) };
    this.topics.set(name, t);
    return t;
  }

  /** Removes a topic and its records; false when there was none. */
  delete(name: string): boolean {
    return this.topics.delete(name);
  }

  get defaultPartitions(): number {
    return this.partitionCount;
  }

  topicById(topicId: Uuid): TopicLog | undefined {
    for (const t of this.topics.values()) if (t.topicId === topicId) return t;
    return undefined;
  }

  names(): string[] {
    return [...this.topics.keys()].sort();
  }

  /** Appends a copy of every batch with its base offset rewritten; returns the first base offset. */
  append(partition: PartitionLog, records: Buffer): bigint {
    const batches = splitBatches(records);
    const first = partition.nextOffset;
    for (const batch of batches) {
      const bytes = Buffer.from(batch);
      bytes.writeBigInt64BE(partition.nextOffset, 0);
      const lastOffset = partition.nextOffset + BigInt(bytes.readInt32BE(LAST_OFFSET_DELTA_OFFSET));
      partition.batches.push({ baseOffset: partition.nextOffset, lastOffset, bytes });
      partition.nextOffset = lastOffset + 1n;
    }
    this.wakeAll();
    return first;
  }

  /** Ends every pending wait (after an append, or when the server stops). */
  wakeAll(): void {
    const waiters = this.waiters;
    this.waiters = new Set();
    for (const wake of waiters) wake();
  }

  /** Batches holding `fetchOffset` and later, at least one, then up to `maxBytes`. */
  read(partition: PartitionLog, fetchOffset: bigint, maxBytes: number): Buffer {
    const out: Buffer[] = [];
    let size = 0;
    for (const b of partition.batches) {
      if (b.lastOffset < fetchOffset) continue;
      if (out.length > 0 && size + b.bytes.length > maxBytes) break;
      out.push(b.bytes);
      size += b.bytes.length;
    }
    return Buffer.concat(out);
  }

  /** Resolves after the next append or after `ms`, whichever comes first. */
  waitForAppend(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.waiters.add(wake);
    });
  }
}
