/**
 * Produce (0): append each partition's batches as received (offsets written in place), answer
 * per partition. acks=0 gets no response. Every append starts before the first await, so
 * requests on one connection reach each log in order.
 */
import {
  ApiKey, ErrorCode, type ProduceRequest, type ProduceResponse, type ProduceResponsePartitionProduceResponse,
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

export const produceHandler = defineHandler<ProduceRequest, ProduceResponse>({
  apiKey: ApiKey.Produce,
  versions: allVersions(ApiKey.Produce),
  async handle({ body, apiVersion, services }) {
    const acks = body.acks;
    const pending = body.topicData.map((topic) => ({
      name: topic.name,
      partitions: topic.partitionData.map((p) => ({
        index: p.index,
        result: acks !== 0 && acks !== 1 && acks !== -1
          ? Promise.resolve(appendFailure(ErrorCode.INVALID_REQUIRED_ACKS))
          : appendOne(services.replicas, topic.name, p.index, p.records, apiVersion <= 2),
      })),
    }));
    const responses = [];
    for (const topic of pending) {
      const partitionResponses = [];
      for (const p of topic.partitions) partitionResponses.push(partitionResponse(p.index, await p.result));
      responses.push({ name: topic.name, partitionResponses, _unknownTaggedFields: undefined });
    }
    if (acks === 0) return NO_RESPONSE;
    return { responses, throttleTimeMs: 0, nodeEndpoints: [], _unknownTaggedFields: undefined };
  },
});
