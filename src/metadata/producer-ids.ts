import { type AllocateProducerIdsRequest, type AllocateProducerIdsResponse, ErrorCode } from '../protocol/index.js';
import { brokerEpochError } from './broker-registration.js';
import type { ControllerResult } from './controller-context.js';
import type { MetadataImage } from './image.js';
import { metadataRecord } from './records.js';

/**
 * AllocateProducerIds (Kafka's ProducerIdControlManager): hands a broker the next block of 1000
 * producer ids. The ProducerIdsRecord carries the first id of the block after it, and the answer
 * goes out only once that record is committed, so a block is never handed out twice, restarts
 * included.
 */

/** Kafka's ProducerIdsBlock.PRODUCER_ID_BLOCK_SIZE. */
export const PRODUCER_ID_BLOCK_SIZE = 1000;

const INT64_MAX = 2n ** 63n - 1n;

export function allocateProducerIds(image: MetadataImage, request: AllocateProducerIdsRequest): ControllerResult<AllocateProducerIdsResponse> {
  const failed = (code: number): ControllerResult<AllocateProducerIdsResponse> => ({
    records: [],
    result: { throttleTimeMs: 0, errorCode: code, producerIdStart: 0n, producerIdLen: 0 },
  });
  const epochError = brokerEpochError(image, request.brokerId, request.brokerEpoch);
  if (epochError !== null) return failed(epochError.code);
  const start = image.nextProducerId;
  if (start > INT64_MAX - BigInt(PRODUCER_ID_BLOCK_SIZE)) return failed(ErrorCode.UNKNOWN_SERVER_ERROR);
  const record = metadataRecord('ProducerIdsRecord', {
    brokerId: request.brokerId,
    brokerEpoch: request.brokerEpoch,
    nextProducerId: start + BigInt(PRODUCER_ID_BLOCK_SIZE),
  });
  return {
    records: [record],
    result: { throttleTimeMs: 0, errorCode: ErrorCode.NONE, producerIdStart: start, producerIdLen: PRODUCER_ID_BLOCK_SIZE },
  };
}
