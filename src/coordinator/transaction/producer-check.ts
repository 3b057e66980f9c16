/**
 * The checks every transactional request makes of the producer it names (Kafka's order): an
 * unknown transactional id or another producer id → INVALID_PRODUCER_ID_MAPPING, another epoch →
 * PRODUCER_FENCED, or INVALID_PRODUCER_EPOCH for request versions older than PRODUCER_FENCED
 * (InitProducerId < 4, AddPartitionsToTxn/AddOffsetsToTxn/EndTxn < 2).
 */
import { ErrorCode } from '../../protocol/index.js';
import type { TransactionMetadata } from './metadata.js';

/** PRODUCER_FENCED where the request version knows it, else INVALID_PRODUCER_EPOCH. */
export function fencedError(apiVersion: number, firstVersionWithProducerFenced: number): number {
  return apiVersion >= firstVersionWithProducerFenced ? ErrorCode.PRODUCER_FENCED : ErrorCode.INVALID_PRODUCER_EPOCH;
}

/** NONE when the request's producer id and epoch are the transaction's current ones. */
export function checkProducer(
  metadata: TransactionMetadata | undefined,
  producerId: bigint,
  producerEpoch: number,
  fenced: number,
): number {
  if (!metadata || metadata.producerId !== producerId) return ErrorCode.INVALID_PRODUCER_ID_MAPPING;
  if (metadata.producerEpoch !== producerEpoch) return fenced;
  return ErrorCode.NONE;
}
