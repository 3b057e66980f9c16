/**
 * One partition's part of a Fetch answer, turned into records only as poll() asks for them:
 * batches are decoded one at a time, records before the fetch position are skipped (a compressed
 * batch starts before it), control batches are skipped, and with read_committed the records of
 * aborted transactions are dropped (Kafka's rule: a producer's records are aborted from the first
 * offset the broker lists until that producer's ABORT marker) and nothing at or past the last
 * stable offset is returned.
 */
import {
  ControlRecordType, type DecodedRecord, LAST_OFFSET_DELTA_OFFSET, LOG_OVERHEAD, MAGIC_OFFSET, MAGIC_V2, RECORD_BATCH_OVERHEAD, TimestampType, decodeControlRecordKey,
  decodeLegacyEntrySync, decodeRecordBatchSync, readRecordBatchHeader, recordBatchSize,
} from '../../protocol/index.js';
import type { RecordHeader } from '../../protocol/index.js';

export interface AbortedTransaction {
  readonly producerId: bigint;
  readonly firstOffset: bigint;
}

/** A record as the fetcher hands it out, before deserialization. */
export interface RawRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
  readonly timestamp: bigint;
  readonly timestampType: 'CreateTime' | 'LogAppendTime';
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: readonly RecordHeader[];
  readonly leaderEpoch: number;
}

const MAX_UNCOMPRESSED_BYTES = 512 * 1024 * 1024;

export class CompletedFetch {
  private pos = 0;
  private batchRecords: DecodedRecord[] = [];
  private batchIndex = 0;
  private batchTimestampType: 'CreateTime' | 'LogAppendTime' = 'CreateTime';
  private batchLogAppendTime = -1n;
  private batchLeaderEpoch = -1;
  private readonly aborted: AbortedTransaction[];
  private readonly abortedProducers = new Set<bigint>();
  /** The offset after the last batch looked at: where the next fetch starts when no record was returned. */
  nextFetchOffset: bigint;
  /** The offset after the last complete batch in the answer: where a fetch running ahead continues. */
  readonly endOffset: bigint;

  constructor(
    readonly topic: string,
    readonly partition: number,
    private readonly records: Buffer,
    fetchOffset: bigint,
    readonly highWatermark: bigint,
    private readonly lastStableOffset: bigint,
    abortedTransactions: readonly AbortedTransaction[] | null,
    private readonly readCommitted: boolean,
    private readonly checkCrcs: boolean,
    /** Seek generation of the partition when the fetch was sent; a seek since makes this stale. */
    readonly fetchEpoch: number,
  ) {
    this.nextFetchOffset = fetchOffset;
    this.endOffset = scanEndOffset(records, fetchOffset);
    this.aborted = readCommitted && abortedTransactions ? [...abortedTransactions].sort((a, b) => (a.firstOffset < b.firstOffset ? -1 : 1)) : [];
  }

  get sizeBytes(): number {
    return this.records.length;
  }

  /** Up to `max` records at or after `position`; [] when the fetch is used up. */
  take(position: bigint, max: number): RawRecord[] {
    const out: RawRecord[] = [];
    const limit = this.readCommitted && this.lastStableOffset >= 0n ? this.lastStableOffset : -1n;
    while (out.length < max) {
      if (this.batchIndex >= this.batchRecords.length && !this.nextBatch()) break;
      const r = this.batchRecords[this.batchIndex++]!;
      if (r.offset < position) continue;
      if (limit >= 0n && r.offset >= limit) {
        this.batchRecords = [];
        this.pos = this.records.length;
        break;
      }
      out.push({
        topic: this.topic,
        partition: this.partition,
        offset: r.offset,
        timestamp: this.batchLogAppendTime >= 0n ? this.batchLogAppendTime : r.timestamp,
        timestampType: this.batchTimestampType,
        key: r.key,
        value: r.value,
        headers: r.headers,
        leaderEpoch: this.batchLeaderEpoch,
      });
    }
    return out;
  }

  get exhausted(): boolean {
    return this.batchIndex >= this.batchRecords.length && this.pos >= this.records.length;
  }

  /** A legacy entry: its records become the current batch; false when it has none. */
  private legacyEntry(view: Buffer): boolean {
    const records = decodeLegacy(view, this.checkCrcs);
    const last = records[records.length - 1];
    if (!last) return false;
    if (last.offset + 1n > this.nextFetchOffset) this.nextFetchOffset = last.offset + 1n;
    const logAppend = view.readInt8(MAGIC_OFFSET) === 1 && (view.readInt8(MAGIC_OFFSET + 1) & 0x08) !== 0;
    this.batchRecords = records;
    this.batchIndex = 0;
    this.batchTimestampType = logAppend ? 'LogAppendTime' : 'CreateTime';
    this.batchLogAppendTime = -1n;
    this.batchLeaderEpoch = -1;
    return true;
  }

  /** Decodes the next batch worth handing out; false when none is left. */
  private nextBatch(): boolean {
    const buf = this.records;
    for (;;) {
      if (buf.length - this.pos < LOG_OVERHEAD + 5) {
        this.pos = buf.length;
        return false;
      }
      const size = recordBatchSize(buf, this.pos);
      if (size <= LOG_OVERHEAD || this.pos + size > buf.length) {
        // A partial batch at the end of a fetch is normal: the next fetch starts there.
        this.pos = buf.length;
        return false;
      }
      const view = buf.subarray(this.pos, this.pos + size);
      this.pos += size;
      const magic = view.readInt8(MAGIC_OFFSET);
      if (magic === 0 || magic === 1) {
        if (this.legacyEntry(view)) return true;
        continue;
      }
      if (magic !== MAGIC_V2 || size < RECORD_BATCH_OVERHEAD) continue;
      const header = readRecordBatchHeader(view);
      const lastOffset = header.baseOffset + BigInt(header.lastOffsetDelta);
      if (lastOffset + 1n > this.nextFetchOffset) this.nextFetchOffset = lastOffset + 1n;
      if (this.readCommitted) {
        while (this.aborted.length > 0 && this.aborted[0]!.firstOffset <= lastOffset) this.abortedProducers.add(this.aborted.shift()!.producerId);
      }
      if (header.isControl) {
        if (this.readCommitted && this.abortedProducers.has(header.producerId)) {
          const batch = decodeRecordBatchSync(view, { maxUncompressedBytes: MAX_UNCOMPRESSED_BYTES, validate: this.checkCrcs });
          const first = batch.records[0];
          if (first && decodeControlRecordKey(first.key).type === ControlRecordType.Abort) this.abortedProducers.delete(header.producerId);
        }
        continue;
      }
      if (this.readCommitted && header.isTransactional && this.abortedProducers.has(header.producerId)) continue;
      const batch = decodeRecordBatchSync(view, { maxUncompressedBytes: MAX_UNCOMPRESSED_BYTES, validate: this.checkCrcs });
      this.batchRecords = batch.records;
      this.batchIndex = 0;
      this.batchTimestampType = header.timestampType === TimestampType.LogAppendTime ? 'LogAppendTime' : 'CreateTime';
      this.batchLogAppendTime = header.timestampType === TimestampType.LogAppendTime ? header.maxTimestamp : -1n;
      this.batchLeaderEpoch = header.partitionLeaderEpoch;
      if (this.batchRecords.length > 0) return true;
    }
  }
}

/** Records of a v0/v1 message (a plain one, or a compressed wrapper and its inner set), as Kafka still serves old data. */
function decodeLegacy(view: Buffer, checkCrcs: boolean): DecodedRecord[] {
  return decodeLegacyEntrySync(view, { maxUncompressedBytes: MAX_UNCOMPRESSED_BYTES, validate: checkCrcs }).map((r) => ({
    offset: r.offset, offsetDelta: 0, timestamp: r.timestamp, key: r.key, value: r.value, headers: [],
  }));
}

/** lastOffset + 1 of the last complete batch, from the batch headers alone. */
function scanEndOffset(buf: Buffer, fetchOffset: bigint): bigint {
  let end = fetchOffset;
  let pos = 0;
  while (buf.length - pos > MAGIC_OFFSET) {
    const size = recordBatchSize(buf, pos);
    if (size <= LOG_OVERHEAD || pos + size > buf.length) break;
    // A v2 batch header holds its last offset delta; a legacy entry's offset is its last record's.
    const v2 = buf.readInt8(pos + MAGIC_OFFSET) === MAGIC_V2 && size >= RECORD_BATCH_OVERHEAD;
    const last = buf.readBigInt64BE(pos) + (v2 ? BigInt(buf.readInt32BE(pos + LAST_OFFSET_DELTA_OFFSET)) : 0n);
    if (last + 1n > end) end = last + 1n;
    pos += size;
  }
  return end;
}
