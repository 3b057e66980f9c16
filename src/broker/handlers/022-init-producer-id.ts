/**
 * InitProducerId (22), v0-5. Without a transactional id the producer is idempotent only: it gets
 * a fresh producer id and epoch 0 from this broker's block (any producer id/epoch it sends are
 * ignored, as Kafka does), or COORDINATOR_LOAD_IN_PROGRESS while no block is at hand. With one,
 * the transactional id's coordinator shard decides (first id, epoch bump, fencing an ongoing
 * transaction, KIP-360 resumption). ProducerId and ProducerEpoch (v3+) are both set or both -1.
 */
import { ApiKey, ErrorCode, type InitProducerIdRequest, type InitProducerIdResponse } from '../../protocol/index.js';
import { ProducerIdsUnavailableError } from '../transaction-coordinator/index.js';
import { allVersions, defineHandler } from './api-handler.js';
import { transactionRequestContext } from './transaction-support.js';

function failed(errorCode: number): InitProducerIdResponse {
  return { throttleTimeMs: 0, errorCode, producerId: -1n, producerEpoch: -1 };
}

export const initProducerIdHandler = defineHandler<InitProducerIdRequest, InitProducerIdResponse>({
  apiKey: ApiKey.InitProducerId,
  versions: allVersions(ApiKey.InitProducerId),
  async handle({ body, apiVersion, services, request }) {
    if ((body.producerId === -1n) !== (body.producerEpoch === -1)) return failed(ErrorCode.INVALID_REQUEST);
    const transactionalId = body.transactionalId;
    if (transactionalId === null) {
      try {
        const producerId = await services.producerIds.nextAsync();
        return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, producerId, producerEpoch: 0 };
      } catch (e) {
        if (e instanceof ProducerIdsUnavailableError) return failed(ErrorCode.COORDINATOR_LOAD_IN_PROGRESS);
        throw e;
      }
    }
    if (transactionalId === '') return failed(ErrorCode.INVALID_REQUEST);
    // A new transactional id needs a producer id the shard takes synchronously: wait for a block first.
    await services.producerIds.ready();
    const ctx = transactionRequestContext(request, apiVersion);
    return services.transactionCoordinator.write(transactionalId, (shard) => shard.initProducerId(ctx, body), failed);
  },
});
