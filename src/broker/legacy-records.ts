/**
 * Old clients (Produce v0-2, Fetch v0-3) speak message format v0/v1; the log keeps v2 batches.
 * Produce converts up before the append; Fetch converts down after the read.
 */
import {
  decodeLegacyMessageSet, decodeRecordBatch, downConvertRecordBatches, encodeRecordBatch, entryMagic,
  legacyRecordsToRecordBatchInput, splitCompleteRecordBatches,
} from '../protocol/index.js';

/** Whether a produce payload is in a legacy format (magic 0 or 1). */
export function isLegacyRecords(records: Buffer): boolean {
  return records.length >= 17 && entryMagic(records) < 2;
}

/** A legacy message set as one v2 batch, keeping its codec. */
export async function upConvert(records: Buffer, maxUncompressedBytes: number): Promise<Buffer> {
  const legacy = await decodeLegacyMessageSet(records, { maxUncompressedBytes });
  return encodeRecordBatch(legacyRecordsToRecordBatchInput(legacy));
}

/** Stored v2 batches as a v0 or v1 message set (control batches dropped, as Kafka does). */
export async function downConvert(records: Buffer, magic: 0 | 1, maxUncompressedBytes: number): Promise<Buffer> {
  const batches = [];
  for (const batch of splitCompleteRecordBatches(records)) batches.push(await decodeRecordBatch(batch, { maxUncompressedBytes }));
  return downConvertRecordBatches(batches, magic);
}
