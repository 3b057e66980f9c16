import { DecodeError } from '../../common/errors.js';
import { CompressionCodec } from '../compression/codec.js';
import { decompress, decompressSync } from '../compression/compress.js';
import { Reader } from '../reader.js';
import { MIN_RECORD_SIZE, RECORD_BATCH_OVERHEAD, TimestampType } from './constants.js';
import { type RecordBatchHeader, readRecordBatchHeader, recordBatchSize, validateRecordBatch } from './batch-header.js';
import { CorruptRecordError } from './errors.js';
import { type DecodedRecord, readRecord } from './record.js';

/**
 * Reads whole record batches (magic v2), records included. Nothing in the input is trusted: the
 * batch is validated (size, magic, CRC) unless the caller already did, decompression is bounded
 * by `maxUncompressedBytes`, and recordsCount must fit the bytes present (a record takes at
 * least 7 bytes) before any record is read.
 */

export interface RecordBatch extends RecordBatchHeader {
  records: DecodedRecord[];
}

export interface DecodeRecordBatchOptions {
  /** Bound on the decompressed records section of a compressed batch. */
  maxUncompressedBytes: number;
  /** Run validateRecordBatch (CRC and structure) first; pass false when the caller already did. Default true. */
  validate?: boolean;
}

function prepare(batch: Buffer, options: DecodeRecordBatchOptions): { header: RecordBatchHeader; payload: Buffer } {
  const size = options.validate === false ? recordBatchSize(batch) : validateRecordBatch(batch);
  if (batch.length < size || size < RECORD_BATCH_OVERHEAD) throw new DecodeError(`batch of ${size} bytes in a ${batch.length}-byte buffer`);
  return { header: readRecordBatchHeader(batch), payload: batch.subarray(RECORD_BATCH_OVERHEAD, size) };
}

function readRecords(header: RecordBatchHeader, records: Buffer): RecordBatch {
  const count = header.recordsCount;
  if (count < 0 || count > records.length / MIN_RECORD_SIZE) {
    throw new DecodeError(`batch: recordsCount ${count} cannot fit in ${records.length} bytes`);
  }
  const reader = new Reader(records);
  const decoded: DecodedRecord[] = [];
  const logAppendTime = header.timestampType === TimestampType.LogAppendTime;
  for (let i = 0; i < count; i++) {
    const fields = readRecord(reader);
    decoded.push({
      offset: header.baseOffset + BigInt(fields.offsetDelta),
      offsetDelta: fields.offsetDelta,
      // With LogAppendTime every record carries the batch's maxTimestamp, as in Kafka.
      timestamp: logAppendTime ? header.maxTimestamp : header.baseTimestamp + fields.timestampDelta,
      key: fields.key,
      value: fields.value,
      headers: fields.headers,
    });
  }
  if (reader.remaining !== 0) {
    throw new CorruptRecordError('structure', `batch: ${reader.remaining} bytes left after ${count} records`);
  }
  return { ...header, records: decoded };
}

/** Decodes a batch; compressed records are inflated on the calling thread. */
export function decodeRecordBatchSync(batch: Buffer, options: DecodeRecordBatchOptions): RecordBatch {
  const { header, payload } = prepare(batch, options);
  const records = header.compression === CompressionCodec.None ? payload : decompressSync(header.compression, payload, options.maxUncompressedBytes);
  return readRecords(header, records);
}

/** Decodes a batch; gzip and zstd records are inflated on the thread pool. */
export async function decodeRecordBatch(batch: Buffer, options: DecodeRecordBatchOptions): Promise<RecordBatch> {
  const { header, payload } = prepare(batch, options);
  const records =
    header.compression === CompressionCodec.None ? payload : await decompress(header.compression, payload, options.maxUncompressedBytes);
  return readRecords(header, records);
}
