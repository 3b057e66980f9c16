/**
 * Fetch (1): stored batches served as they are, long-polled up to maxWaitMs until minBytes are
 * there. Topics by name, or by topic id from v13. No fetch sessions are created yet: every
 * answer carries session id 0, which clients treat as "send full requests".
 */
import { ApiKey, ErrorCode, type FetchRequest, type FetchResponse, ZERO_UUID } from '../../protocol/index.js';
import type { BrokerServices } from '../services.js';
import { allVersions, defineHandler } from './api-handler.js';
import { type ResolvedFetchTopic, readFetchPass } from './fetch-read.js';

const READ_COMMITTED = 1;

function resolveTopics(services: BrokerServices, body: FetchRequest, byId: boolean): ResolvedFetchTopic[] {
  const image = services.metadata.image;
  return body.topics.map((t) => {
    if (!byId) return { name: t.topic, topicId: image.topicsByName.get(t.topic)?.topicId ?? ZERO_UUID, errorCode: ErrorCode.NONE, partitions: t.partitions };
    const topic = image.topicsById.get(t.topicId);
    return { name: topic?.name ?? null, topicId: t.topicId, errorCode: topic ? ErrorCode.NONE : ErrorCode.UNKNOWN_TOPIC_ID, partitions: t.partitions };
  });
}

export const fetchHandler = defineHandler<FetchRequest, FetchResponse>({
  apiKey: ApiKey.Fetch,
  versions: allVersions(ApiKey.Fetch),
  async handle({ body, apiVersion, services }) {
    const answer = (errorCode: number, responses: FetchResponse['responses']): FetchResponse => ({
      throttleTimeMs: 0, errorCode, sessionId: 0, responses, nodeEndpoints: [], _unknownTaggedFields: undefined,
    });
    if (apiVersion >= 7 && body.sessionId !== 0) return answer(ErrorCode.FETCH_SESSION_ID_NOT_FOUND, []);
    const topics = resolveTopics(services, body, apiVersion >= 13);
    const request = {
      maxBytes: apiVersion >= 3 ? body.maxBytes : 0x7fffffff,
      readCommitted: apiVersion >= 4 && body.isolationLevel === READ_COMMITTED,
      legacyMagic: apiVersion <= 1 ? 0 as const : apiVersion <= 3 ? 1 as const : null,
    };
    const deadline = services.clock.monotonicMs() + Math.max(0, body.maxWaitMs);
    const watched = topics.flatMap((t) => (t.name === null ? [] : t.partitions.map((p) => ({ topic: t.name as string, partition: p.partition }))));
    for (;;) {
      const pass = await readFetchPass(services.replicas, topics, request);
      const remainingMs = deadline - services.clock.monotonicMs();
      if (pass.bytes >= body.minBytes || pass.anyError || remainingMs <= 0) {
        return answer(ErrorCode.NONE, pass.topics.map(({ topic, partitions }) => ({
          topic: topic.name ?? '', topicId: topic.topicId, partitions, _unknownTaggedFields: undefined,
        })));
      }
      await services.replicas.waitForAppends(watched, remainingMs);
    }
  },
});
