/**
 * Produce (0): append each partition's batches as received (offsets written in place), answer
 * per partition. acks=0 gets no response. Every append starts before the first await, so
 * requests on one connection reach each log in order. Idempotent and transactional batches are
 * checked by the log (duplicates answered with their first offsets, sequence and epoch errors);
 * transactional batches need the request's transactionalId, as Kafka. Once every append has
 * settled, the request frame goes back to the network layer's pool.
 */
import {
  ATTRIBUTES_OFFSET, ApiKey, ErrorCode, MAGIC_OFFSET, MAGIC_V2, type ProduceRequest, type ProduceResponse,
  type ProduceResponsePartitionProduceResponse, RECORD_BATCH_OVERHEAD, TRANSACTIONAL_FLAG_MASK,
} from '../../protocol/index.js';
import { NO_RESPONSE } from '../network/index.js';
import { isLegacyRecords, upConvert } from '../legacy-records.js';
import { type AppendResult, type ReplicaManager, appendFailure } from '../replica-manager.js';
import { allVersions, defineHandler } from './api-handler.js';

const MAX_UNCOMPRESSED_BYTES = 256 * 1024 * 1024;

function partitionResponse(index: number, r: AppendResult): ProduceResponsePartitionProduceResponse {
  return {
    index,
    errorCode: r.errorCode,
    baseOffset: r.baseOffset,
    logAppendTimeMs: r.logAppendTimeMs,
    logStartOffset: r.logStartOffset,
    recordErrors: r.recordErrors.map((e) => ({ ...e, _unknownTaggedFields: undefined })),
    errorMessage: r.errorMessage,
    currentLeader: { leaderId: -1, leaderEpoch: -1, _unknownTaggedFields: undefined },
    _unknownTaggedFields: undefined,
  };
}

function appendOne(replicas: ReplicaManager, topic: string, partition: number, records: Buffer | null, legacyAllowed: boolean): Promise<AppendResult> {
  if (records === null || records.length === 0) return Promise.resolve(appendFailure(ErrorCode.CORRUPT_MESSAGE, 'Produce request without records'));
  if (isLegacyRecords(records)) {
    if (!legacyAllowed) return Promise.resolve(appendFailure(ErrorCode.UNSUPPORTED_FOR_MESSAGE_FORMAT, 'Produce v3+ requires record batches (magic 2)'));
    // Order: converting takes time; Kafka's old clients send one request at a time anyway.
    return upConvert(records, MAX_UNCOMPRESSED_BYTES).then(
      (batch) => replicas.append(topic, partition, batch),
      () => appendFailure(ErrorCode.CORRUPT_MESSAGE, 'Invalid legacy message set'),
    );
  }
  return replicas.append(topic, partition, records);
}

/** The first batch of `records` is a transactional v2 batch (Kafka checks the request's batches this way). */
function isTransactional(records: Buffer | null): boolean {
  if (records === null || records.length < RECORD_BATCH_OVERHEAD || records.readInt8(MAGIC_OFFSET) !== MAGIC_V2) return false;
  return (records.readInt16BE(ATTRIBUTES_OFFSET) & TRANSACTIONAL_FLAG_MASK) !== 0;
}

export const produceHandler = defineHandler<ProduceRequest, ProduceResponse>({
  apiKey: ApiKey.Produce,
  versions: allVersions(ApiKey.Produce),
  async handle({ request, body, apiVersion, services }) {
    const acks = body.acks;
    // Kafka refuses the whole request when it carries transactional records without a transactional id.
    const missingTransactionalId = body.transactionalId === null
      && body.topicData.some((t) => t.partitionData.some((p) => isTransactional(p.records)));
    const refusal = missingTransactionalId ? ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED
      : acks !== 0 && acks !== 1 && acks !== -1 ? ErrorCode.INVALID_REQUIRED_ACKS : ErrorCode.NONE;
    const pending = body.topicData.map((topic) => ({
      name: topic.name,
      partitions: topic.partitionData.map((p) => ({
        index: p.index,
        result: refusal !== ErrorCode.NONE
          ? Promise.resolve(appendFailure(refusal))
          : appendOne(services.replicas, topic.name, p.index, p.records, apiVersion <= 2),
      })),
    }));
    const responses = [];
    for (const topic of pending) {
      const partitionResponses = [];
      for (const p of topic.partitions) partitionResponses.push(partitionResponse(p.index, await p.result));
      responses.push({ name: topic.name, partitionResponses, _unknownTaggedFields: undefined });
    }
    // Every append has settled, and a settled append has written its batches (or copied them,
    // or dropped them): nothing reads the request's bytes any more.
    request.releaseFrame?.();
    if (acks === 0) return NO_RESPONSE;
    return { responses, throttleTimeMs: 0, nodeEndpoints: [], _unknownTaggedFields: undefined };
  },
});
