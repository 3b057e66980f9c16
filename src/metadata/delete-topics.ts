import {
  type DeleteTopicsRequest,
  type DeleteTopicsResponse,
  type DeleteTopicsResponseDeletableTopicResult,
  ErrorCode,
  type Uuid,
  ZERO_UUID,
} from '../protocol/index.js';
import { type ApiError, type ControllerResult, duplicates } from './controller-context.js';
import type { MetadataImage, TopicImage } from './image.js';
import { type MetadataRecord, metadataRecord } from './records.js';

/**
 * DeleteTopics by name (v0-5 `topicNames`, or v6+ entries with a name) or by id (v6+): one
 * RemoveTopicRecord per topic; replaying it drops the topic's partitions and configs too.
 * Per entry: both or neither of name and id, or a repeat, is INVALID_REQUEST; an unknown name
 * UNKNOWN_TOPIC_OR_PARTITION; an unknown id UNKNOWN_TOPIC_ID.
 */

interface Entry {
  name: string | null;
  topicId: Uuid;
}

function resolve(image: MetadataImage, entry: Entry, repeatedNames: Set<string>, repeatedIds: Set<Uuid>): TopicImage | ApiError {
  const byName = entry.name !== null;
  const byId = entry.topicId !== ZERO_UUID;
  if (byName && byId) return { code: ErrorCode.INVALID_REQUEST, message: 'You may not specify both topic name and topic id.' };
  if (!byName && !byId) return { code: ErrorCode.INVALID_REQUEST, message: 'Neither topic name nor id were specified.' };
  if (byName) {
    if (repeatedNames.has(entry.name!)) return { code: ErrorCode.INVALID_REQUEST, message: 'Duplicate topic name.' };
    const topic = image.topicsByName.get(entry.name!);
    return topic ?? { code: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, message: 'This server does not host this topic-partition.' };
  }
  if (repeatedIds.has(entry.topicId)) return { code: ErrorCode.INVALID_REQUEST, message: 'Duplicate topic id.' };
  const topic = image.topicsById.get(entry.topicId);
  return topic ?? { code: ErrorCode.UNKNOWN_TOPIC_ID, message: 'This server does not host this topic ID.' };
}

export function deleteTopics(image: MetadataImage, request: DeleteTopicsRequest): ControllerResult<DeleteTopicsResponse> {
  const entries: Entry[] = [...request.topicNames.map((name) => ({ name, topicId: ZERO_UUID })), ...request.topics];
  const repeatedNames = duplicates(entries.flatMap((e) => (e.name === null ? [] : [e.name])));
  const repeatedIds = duplicates(entries.flatMap((e) => (e.topicId === ZERO_UUID ? [] : [e.topicId])));
  const records: MetadataRecord[] = [];
  const removed = new Set<Uuid>();
  const responses: DeleteTopicsResponseDeletableTopicResult[] = [];
  const answeredNames = new Set<string>();
  const answeredIds = new Set<Uuid>();
  for (const entry of entries) {
    // A repeated name or id gets one answer, as Kafka sends.
    if (entry.name !== null && entry.topicId === ZERO_UUID) {
      if (answeredNames.has(entry.name)) continue;
      answeredNames.add(entry.name);
    } else if (entry.name === null && entry.topicId !== ZERO_UUID) {
      if (answeredIds.has(entry.topicId)) continue;
      answeredIds.add(entry.topicId);
    }
    const outcome = resolve(image, entry, repeatedNames, repeatedIds);
    if ('code' in outcome) {
      responses.push({ name: entry.name, topicId: entry.topicId, errorCode: outcome.code, errorMessage: outcome.message });
      continue;
    }
    responses.push({ name: outcome.name, topicId: outcome.topicId, errorCode: ErrorCode.NONE, errorMessage: null });
    if (removed.has(outcome.topicId)) continue; // named once by name and once by id
    removed.add(outcome.topicId);
    records.push(metadataRecord('RemoveTopicRecord', { topicId: outcome.topicId }));
  }
  return { records, result: { throttleTimeMs: 0, responses } };
}
