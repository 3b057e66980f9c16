/**
 * Seeds and targets for fuzzing the record layer: v2 record batches and legacy (v0, v1) message
 * sets, every codec, a transaction marker. Decoders here may throw any SamsaError (DecodeError,
 * CorruptRecordError, the compression errors) but not an AssertionError nor anything else.
 */
import { AssertionError, SamsaError } from '../../common/errors.js';
import { CompressionCodec } from '../compression/index.js';
import {
  MAGIC_V2,
  type SimpleRecord,
  buildEndTxnMarkerBatch,
  decodeLegacyEntry,
  decodeLegacyEntrySync,
  decodeRecordBatch,
  decodeRecordBatchSync,
  encodeLegacyMessageSetSync,
  encodeRecordBatchSync,
  endTxnMarkerOfBatch,
  entryMagic,
  splitRecordBatches,
  validateRecordBatch,
} from '../records/index.js';
import type { FuzzSeed, FuzzTarget } from './fuzz-harness.js';

export const MAX_UNCOMPRESSED_BYTES = 1 << 20;

const CODECS = [CompressionCodec.None, CompressionCodec.Gzip, CompressionCodec.Snappy, CompressionCodec.Lz4, CompressionCodec.Zstd] as const;
const CODEC_NAMES = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

function sampleRecords(): SimpleRecord[] {
  return [
    { timestamp: 1_700_000_000_000n, key: Buffer.from('key-0'), value: Buffer.from('a value that compresses, a value that compresses'), headers: [{ key: 'h', value: Buffer.from('v') }] },
    { timestamp: 1_700_000_000_005n, key: null, value: Buffer.from('second') },
    { timestamp: 1_700_000_000_002n, key: Buffer.alloc(0), value: null, headers: [{ key: '', value: null }] },
  ];
}

function seed(label: string, magic: number, frame: Buffer): FuzzSeed {
  return { label, version: magic, frame, hints: { taggedSections: [] } };
}

export function recordSeeds(): FuzzSeed[] {
  const out: FuzzSeed[] = [];
  for (const codec of CODECS) {
    const name = CODEC_NAMES[codec]!;
    out.push(seed(`RecordBatch ${name}`, 2, encodeRecordBatchSync({ records: sampleRecords(), compression: codec, baseOffset: 100n, producerId: 7n, producerEpoch: 1, baseSequence: 0 })));
    // Kafka never wrote zstd into magic v0/v1.
    if (codec === CompressionCodec.Zstd) continue;
    for (const magic of [0, 1] as const) {
      const records = sampleRecords().map((r, i) => ({ offset: 100n + BigInt(i), timestamp: r.timestamp, key: r.key, value: r.value }));
      out.push(seed(`MessageSet v${magic} ${name}`, magic, encodeLegacyMessageSetSync({ magic, records, compression: codec })));
    }
  }
  out.push(seed('EndTxnMarker batch', 2, buildEndTxnMarkerBatch({ producerId: 9n, producerEpoch: 2, coordinatorEpoch: 3, committed: true, timestamp: 5n })));
  const two = Buffer.concat([encodeRecordBatchSync({ records: sampleRecords() }), encodeRecordBatchSync({ records: sampleRecords().slice(1), baseOffset: 3n })]);
  out.push(seed('two RecordBatches', 2, two));
  return out;
}

export function allowedRecordError(error: unknown): boolean {
  return error instanceof SamsaError && !(error instanceof AssertionError);
}

/** The broker's path for a Produce or a segment read: split, validate each entry, then decode it. */
export const validatedRecordsTarget: FuzzTarget = {
  decode(frame) {
    const out: unknown[] = [];
    for (const entry of splitRecordBatches(frame).batches) {
      if (entryMagic(entry) === MAGIC_V2) {
        validateRecordBatch(entry);
        const batch = decodeRecordBatchSync(entry, { maxUncompressedBytes: MAX_UNCOMPRESSED_BYTES, validate: false });
        out.push(batch, endTxnMarkerOfBatch(batch));
      } else {
        out.push(decodeLegacyEntrySync(entry, { maxUncompressedBytes: MAX_UNCOMPRESSED_BYTES }));
      }
    }
    return out;
  },
  allowed: allowedRecordError,
};

/** The decoders with CRC checks off, so mutations reach records and decompression. */
export const unvalidatedRecordsTarget: FuzzTarget = {
  decode(frame, s) {
    if (s.version !== MAGIC_V2) return decodeLegacyEntrySync(frame, { maxUncompressedBytes: MAX_UNCOMPRESSED_BYTES, validate: false });
    const batch = decodeRecordBatchSync(frame, { maxUncompressedBytes: MAX_UNCOMPRESSED_BYTES, validate: false });
    return [batch, endTxnMarkerOfBatch(batch)];
  },
  allowed: allowedRecordError,
};

/** As unvalidatedRecordsTarget through the async decoders (gzip and zstd on the thread pool). */
export const asyncRecordsTarget: FuzzTarget = {
  decode(frame, s) {
    if (s.version !== MAGIC_V2) return decodeLegacyEntry(frame, { maxUncompressedBytes: MAX_UNCOMPRESSED_BYTES, validate: false });
    return decodeRecordBatch(frame, { maxUncompressedBytes: MAX_UNCOMPRESSED_BYTES, validate: false });
  },
  allowed: allowedRecordError,
};
