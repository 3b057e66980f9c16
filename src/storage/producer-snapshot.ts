/**
 * The producer-state snapshot file, `<20-digit offset>.snapshot`, in Kafka's format (version 1):
 *
 *   version int16 = 1, crc uint32 (CRC-32C of every byte after it), entry count int32, then per
 *   producer: producerId int64, epoch int16, lastSequence int32, lastOffset int64, offsetDelta
 *   int32 (lastOffset - first offset of the last batch), timestamp int64, coordinatorEpoch int32,
 *   currentTxnFirstOffset int64 (-1 when no transaction is in progress).
 *
 * Big-endian, like everything Kafka writes. A snapshot holds only each producer's last batch.
 */
import { crc32c } from '../protocol/crc/index.js';
import { CorruptSnapshotError } from './errors.js';

export const PRODUCER_SNAPSHOT_VERSION = 1;
const HEADER_BYTES = 2 + 4 + 4;
const CRC_FROM = 6;
export const SNAPSHOT_ENTRY_BYTES = 8 + 2 + 4 + 8 + 4 + 8 + 4 + 8;

export interface SnapshotEntry {
  producerId: bigint;
  producerEpoch: number;
  /** -1 when the producer has no batch kept (e.g. only markers). */
  lastSequence: number;
  /** Last offset of its last batch, -1 when none. */
  lastOffset: bigint;
  offsetDelta: number;
  timestamp: bigint;
  coordinatorEpoch: number;
  currentTxnFirstOffset: bigint;
}

export function encodeProducerSnapshot(entries: readonly SnapshotEntry[]): Buffer {
  const buf = Buffer.alloc(HEADER_BYTES + entries.length * SNAPSHOT_ENTRY_BYTES);
  buf.writeInt16BE(PRODUCER_SNAPSHOT_VERSION, 0);
  buf.writeInt32BE(entries.length, HEADER_BYTES - 4);
  let at = HEADER_BYTES;
  for (const e of entries) {
    at = buf.writeBigInt64BE(e.producerId, at);
    at = buf.writeInt16BE(e.producerEpoch, at);
    at = buf.writeInt32BE(e.lastSequence, at);
    at = buf.writeBigInt64BE(e.lastOffset, at);
    at = buf.writeInt32BE(e.offsetDelta, at);
    at = buf.writeBigInt64BE(e.timestamp, at);
    at = buf.writeInt32BE(e.coordinatorEpoch, at);
    at = buf.writeBigInt64BE(e.currentTxnFirstOffset, at);
  }
  buf.writeUInt32BE(crc32c(buf.subarray(CRC_FROM)), 2);
  return buf;
}

/** Reads a snapshot file's bytes; CorruptSnapshotError when the version, CRC or size is wrong. */
export function decodeProducerSnapshot(buf: Buffer): SnapshotEntry[] {
  if (buf.length < HEADER_BYTES) throw new CorruptSnapshotError(`snapshot of ${buf.length} bytes is shorter than its header`);
  const version = buf.readInt16BE(0);
  if (version !== PRODUCER_SNAPSHOT_VERSION) throw new CorruptSnapshotError(`unknown snapshot version ${version}`);
  const stored = buf.readUInt32BE(2);
  const computed = crc32c(buf.subarray(CRC_FROM));
  if (stored !== computed) throw new CorruptSnapshotError(`snapshot CRC 0x${stored.toString(16)} != computed 0x${computed.toString(16)}`);
  const count = buf.readInt32BE(HEADER_BYTES - 4);
  if (count < 0 || buf.length !== HEADER_BYTES + count * SNAPSHOT_ENTRY_BYTES) {
    throw new CorruptSnapshotError(`snapshot says ${count} entries in ${buf.length} bytes`);
  }
  const entries: SnapshotEntry[] = [];
  let at = HEADER_BYTES;
  for (let i = 0; i < count; i++) {
    entries.push({
      producerId: buf.readBigInt64BE(at),
      producerEpoch: buf.readInt16BE(at + 8),
      lastSequence: buf.readInt32BE(at + 10),
      lastOffset: buf.readBigInt64BE(at + 14),
      offsetDelta: buf.readInt32BE(at + 22),
      timestamp: buf.readBigInt64BE(at + 26),
      coordinatorEpoch: buf.readInt32BE(at + 34),
      currentTxnFirstOffset: buf.readBigInt64BE(at + 38),
    });
    at += SNAPSHOT_ENTRY_BYTES;
  }
  return entries;
}
