/**
 * AddOffsetsToTxn (25), v0-4: adds the group's `__consumer_offsets` partition to the
 * transaction (its offsets come next, with TxnOffsetCommit to the group coordinator), on the
 * shard owning the transactional id.
 */
import { type AddOffsetsToTxnRequest, type AddOffsetsToTxnResponse, ApiKey, ErrorCode } from '../../protocol/index.js';
import { allVersions, defineHandler } from './api-handler.js';
import { transactionRequestContext } from './transaction-support.js';

function failed(errorCode: number): AddOffsetsToTxnResponse {
  return { throttleTimeMs: 0, errorCode };
}

export const addOffsetsToTxnHandler = defineHandler<AddOffsetsToTxnRequest, AddOffsetsToTxnResponse>({
  apiKey: ApiKey.AddOffsetsToTxn,
  versions: allVersions(ApiKey.AddOffsetsToTxn),
  handle({ body, apiVersion, services, request }) {
    if (body.transactionalId === '') return failed(ErrorCode.INVALID_REQUEST);
    const ctx = transactionRequestContext(request, apiVersion);
    return services.transactionCoordinator.write(body.transactionalId, (shard) => shard.addOffsetsToTxn(ctx, body), failed);
  },
});
