/**
 * TxnOffsetCommit (28, v0-4): a transactional producer's consumer offsets, written into its
 * transaction. As Kafka's KafkaApis: partitions the cluster does not know are answered here with
 * UNKNOWN_TOPIC_OR_PARTITION; an empty group id fails the rest with INVALID_GROUP_ID; the rest go
 * to the shard owning the group, where they stay pending until the transaction's marker. When the
 * shard cannot take them, every partition gets the error (NOT_COORDINATOR,
 * COORDINATOR_LOAD_IN_PROGRESS, COORDINATOR_NOT_AVAILABLE, or the append's error mapped).
 */
import { txnOffsetCommitError } from '../../coordinator/group/offsets/txn-commit.js';
import {
  ApiKey, ErrorCode, type TxnOffsetCommitRequest, type TxnOffsetCommitRequestTopic, type TxnOffsetCommitResponse, type TxnOffsetCommitResponseTopic,
} from '../../protocol/index.js';
import { allVersions, defineHandler } from './api-handler.js';
import { groupRequestContext } from './group-support.js';

/** `extra` folded into `topics`, partitions of a topic named in both added to its entry. */
function merge(topics: readonly TxnOffsetCommitResponseTopic[], extra: readonly TxnOffsetCommitResponseTopic[]): TxnOffsetCommitResponseTopic[] {
  const out = topics.map((t) => ({ ...t, partitions: [...t.partitions] }));
  for (const t of extra) {
    const same = out.find((x) => x.name === t.name);
    if (same) same.partitions.push(...t.partitions);
    else out.push(t);
  }
  return out;
}

export const txnOffsetCommitHandler = defineHandler<TxnOffsetCommitRequest, TxnOffsetCommitResponse>({
  apiKey: ApiKey.TxnOffsetCommit,
  versions: allVersions(ApiKey.TxnOffsetCommit),
  async handle({ body, apiVersion, services, request }) {
    const image = services.metadata.image;
    const unknown: TxnOffsetCommitRequestTopic[] = [];
    const known: TxnOffsetCommitRequestTopic[] = [];
    for (const topic of body.topics) {
      const partitions = image.topicsByName.get(topic.name)?.partitions;
      const valid = topic.partitions.filter((p) => partitions?.has(p.partitionIndex));
      const invalid = topic.partitions.filter((p) => !partitions?.has(p.partitionIndex));
      if (valid.length > 0) known.push({ ...topic, partitions: valid });
      if (invalid.length > 0) unknown.push({ ...topic, partitions: invalid });
    }
    const unknownAnswer = txnOffsetCommitError({ topics: unknown }, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION).topics;
    if (known.length === 0) return { throttleTimeMs: 0, topics: unknownAnswer };
    if (body.groupId === '') return { throttleTimeMs: 0, topics: merge(txnOffsetCommitError({ topics: known }, ErrorCode.INVALID_GROUP_ID).topics, unknownAnswer) };
    const commit: TxnOffsetCommitRequest = { ...body, topics: known };
    const ctx = groupRequestContext(request, apiVersion);
    const response = await services.groupCoordinator.write(
      body.groupId,
      (shard) => shard.txnOffsetCommit(ctx, commit),
      (errorCode) => txnOffsetCommitError(commit, errorCode),
    );
    return { ...response, topics: merge(response.topics, unknownAnswer) };
  },
});
