/**
 * Turning a Fetch request into the partitions to read: straight from the request, or from its
 * incremental fetch session (updated with the request's partitions, minus the forgotten ones).
 */
import { ErrorCode, type FetchRequest, type FetchResponse, ZERO_UUID } from '../../protocol/index.js';
import type { MetadataImage } from '../../metadata/index.js';
import { partitionKey, type SessionPartition } from '../fetch-sessions.js';
import type { ResolvedFetchTopic } from './fetch-read.js';

type RequestPartition = FetchRequest['topics'][number]['partitions'][number];

export function topicKeyOf(t: { topic: string; topicId: string }, byId: boolean): string {
  return byId ? t.topicId : t.topic;
}

/** Resolves topics given by name (v12-) or id (v13+) against the image. */
export function resolveTopic(image: MetadataImage, key: string, byId: boolean, partitions: RequestPartition[]): ResolvedFetchTopic {
  if (!byId) return { name: key, topicId: image.topicsByName.get(key)?.topicId ?? ZERO_UUID, errorCode: ErrorCode.NONE, partitions };
  const topic = image.topicsById.get(key);
  return { name: topic?.name ?? null, topicId: key, errorCode: topic ? ErrorCode.NONE : ErrorCode.UNKNOWN_TOPIC_ID, partitions };
}

/** Applies an incremental request to the session's partitions. */
export function updateSession(partitions: Map<string, SessionPartition>, body: FetchRequest, byId: boolean): void {
  for (const t of body.topics) {
    const topicKey = topicKeyOf(t, byId);
    for (const p of t.partitions) {
      const key = partitionKey(topicKey, p.partition);
      const known = partitions.get(key);
      partitions.set(key, {
        topicKey, partition: p.partition, fetchOffset: p.fetchOffset, partitionMaxBytes: p.partitionMaxBytes,
        currentLeaderEpoch: p.currentLeaderEpoch, lastHighWatermark: known?.lastHighWatermark ?? -2n, lastLogStartOffset: known?.lastLogStartOffset ?? -2n,
      });
    }
  }
  for (const f of body.forgottenTopicsData) {
    const topicKey = byId ? f.topicId : f.topic;
    for (const partition of f.partitions) partitions.delete(partitionKey(topicKey, partition));
  }
}

/** The session's partitions as request topics, in the order they were added. */
export function sessionTopics(image: MetadataImage, partitions: Map<string, SessionPartition>, byId: boolean): ResolvedFetchTopic[] {
  const byTopic = new Map<string, RequestPartition[]>();
  for (const p of partitions.values()) {
    const list = byTopic.get(p.topicKey) ?? [];
    list.push({
      partition: p.partition, currentLeaderEpoch: p.currentLeaderEpoch, fetchOffset: p.fetchOffset, lastFetchedEpoch: -1,
      logStartOffset: -1n, partitionMaxBytes: p.partitionMaxBytes, replicaDirectoryId: ZERO_UUID, _unknownTaggedFields: undefined,
    });
    byTopic.set(p.topicKey, list);
  }
  return [...byTopic].map(([key, list]) => resolveTopic(image, key, byId, list));
}

/**
 * Keeps in an incremental answer only the partitions with something new for the client: records,
 * an error, or a moved high watermark or log start offset; remembers what was sent.
 */
export function filterIncremental(
  responses: FetchResponse['responses'],
  partitions: Map<string, SessionPartition>,
  byId: boolean,
  incremental: boolean,
): FetchResponse['responses'] {
  const out: FetchResponse['responses'] = [];
  for (const t of responses) {
    const topicKey = byId ? t.topicId : t.topic;
    const kept = t.partitions.filter((p) => {
      const s = partitions.get(partitionKey(topicKey, p.partitionIndex));
      const changed = (p.records?.length ?? 0) > 0 || p.errorCode !== ErrorCode.NONE || !s
        || s.lastHighWatermark !== p.highWatermark || s.lastLogStartOffset !== p.logStartOffset;
      if (s) {
        s.lastHighWatermark = p.highWatermark;
        s.lastLogStartOffset = p.logStartOffset;
      }
      return !incremental || changed;
    });
    if (kept.length > 0) out.push({ ...t, partitions: kept });
  }
  return out;
}
