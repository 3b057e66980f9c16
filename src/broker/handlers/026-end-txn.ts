/**
 * EndTxn (26), v0-4 (v5 belongs to transaction.version 2, which this broker does not
 * advertise): commit or abort on the shard owning the transactional id. The answer goes out once
 * PrepareCommit/PrepareAbort is durable; the markers follow in the background.
 */
import { ApiKey, ErrorCode, type EndTxnRequest, type EndTxnResponse } from '../../protocol/index.js';
import { defineHandler } from './api-handler.js';
import { transactionRequestContext } from './transaction-support.js';

function failed(errorCode: number): EndTxnResponse {
  return { throttleTimeMs: 0, errorCode, producerId: -1n, producerEpoch: -1 };
}

export const endTxnHandler = defineHandler<EndTxnRequest, EndTxnResponse>({
  apiKey: ApiKey.EndTxn,
  versions: { min: 0, max: 4 },
  handle({ body, apiVersion, services, request }) {
    if (body.transactionalId === '') return failed(ErrorCode.INVALID_REQUEST);
    const ctx = transactionRequestContext(request, apiVersion);
    return services.transactionCoordinator.write(body.transactionalId, (shard) => shard.endTxn(ctx, body), failed);
  },
});
