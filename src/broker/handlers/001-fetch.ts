/**
 * Fetch (1): stored batches served as they are, long-polled up to maxWaitMs until minBytes are
 * there. Topics by name, or by topic id from v13. Incremental fetch sessions from v7 (KIP-227):
 * see fetch-sessions.ts. From v4 a read_committed fetch reads only up to the last stable offset
 * (see fetch-read.ts); a transaction marker wakes its long poll like any append. The buffers
 * records were read into go back to the replica manager's pool once the answer is written.
 */
import { ApiKey, ErrorCode, type FetchRequest, type FetchResponse } from '../../protocol/index.js';
import { type Response, respond } from '../network/index.js';
import { INVALID_SESSION_ID } from '../fetch-sessions.js';
import { allVersions, defineHandler } from './api-handler.js';
import { type ResolvedFetchTopic, readFetchPass } from './fetch-read.js';
import { filterIncremental, resolveTopic, sessionTopics, topicKeyOf, updateSession } from './fetch-session-topics.js';

const READ_COMMITTED = 1;

export const fetchHandler = defineHandler<FetchRequest, FetchResponse>({
  apiKey: ApiKey.Fetch,
  versions: allVersions(ApiKey.Fetch),
  async handle({ request: networkRequest, body, apiVersion, services }): Promise<FetchResponse | Response> {
    const answer = (errorCode: number, sessionId: number, responses: FetchResponse['responses']): FetchResponse => ({
      throttleTimeMs: 0, errorCode, sessionId, responses, nodeEndpoints: [], _unknownTaggedFields: undefined,
    });
    const byId = apiVersion >= 13;
    const image = services.metadata.image;
    const lookup = apiVersion >= 7
      ? services.fetchSessions.begin(body.sessionId, body.sessionEpoch, services.clock.monotonicMs())
      : { kind: 'sessionless' as const };
    if (lookup.kind === 'error') return answer(lookup.errorCode, INVALID_SESSION_ID, []);
    const session = lookup.kind === 'sessionless' ? null : lookup.session;
    let topics: ResolvedFetchTopic[];
    if (lookup.kind === 'incremental') {
      updateSession(lookup.session.partitions, body, byId);
      topics = sessionTopics(image, lookup.session.partitions, byId);
    } else {
      if (session) updateSession(session.partitions, body, byId);
      topics = body.topics.map((t) => resolveTopic(image, topicKeyOf(t, byId), byId, t.partitions));
    }
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
        let responses: FetchResponse['responses'] = pass.topics.map(({ topic, partitions }) => ({
          topic: topic.name ?? '', topicId: topic.topicId, partitions, _unknownTaggedFields: undefined,
        }));
        if (session) {
          responses = filterIncremental(responses, session.partitions, byId, lookup.kind === 'incremental');
          if (lookup.kind === 'incremental') services.fetchSessions.advance(session);
        }
        const response = respond(networkRequest, answer(ErrorCode.NONE, session?.id ?? INVALID_SESSION_ID, responses));
        if (pass.fileBuffers.length === 0 || response.kind !== 'send') return response;
        return { ...response, afterSend: () => { for (const b of pass.fileBuffers) services.replicas.releaseReadBuffer(b); } };
      }
      // Not answered: this pass's records are dropped, so their buffers are free at once.
      for (const b of pass.fileBuffers) services.replicas.releaseReadBuffer(b);
      await services.replicas.waitForAppends(watched, remainingMs);
    }
  },
});
