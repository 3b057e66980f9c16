/**
 * DescribeTransactions (65), v0: per transactional id, in the order asked, its state from the
 * shard owning it (one read per shard). An empty id is INVALID_REQUEST; an id whose shard is not
 * served here gets NOT_COORDINATOR (or COORDINATOR_LOAD_IN_PROGRESS while it loads); an unknown
 * id TRANSACTIONAL_ID_NOT_FOUND from the shard.
 */
import {
  ApiKey, type DescribeTransactionsRequest, type DescribeTransactionsResponse, type DescribeTransactionsResponseTransactionState as TxnState, ErrorCode,
} from '../../protocol/index.js';
import { allVersions, defineHandler } from './api-handler.js';

function failed(transactionalId: string, errorCode: number): TxnState {
  return { errorCode, transactionalId, transactionState: '', transactionTimeoutMs: 0, transactionStartTimeMs: 0n, producerId: 0n, producerEpoch: 0, topics: [] };
}

export const describeTransactionsHandler = defineHandler<DescribeTransactionsRequest, DescribeTransactionsResponse>({
  apiKey: ApiKey.DescribeTransactions,
  versions: allVersions(ApiKey.DescribeTransactions),
  async handle({ body, services }) {
    const coordinator = services.transactionCoordinator;
    const states = new Map<number, TxnState>();
    const asked = body.transactionalIds.map((transactionalId, index) => ({ transactionalId, index }));
    for (const { transactionalId, index } of asked) if (transactionalId === '') states.set(index, failed(transactionalId, ErrorCode.INVALID_REQUEST));
    const byShard = coordinator.byPartition(asked.filter((a) => a.transactionalId !== ''), (a) => a.transactionalId);
    await Promise.all([...byShard.values()].map(async (list) => {
      const ids = list.map((a) => a.transactionalId);
      const answers = await coordinator.read(ids[0]!, (shard) => shard.describeTransactions(ids), (errorCode) => ids.map((id) => failed(id, errorCode)));
      list.forEach((a, i) => states.set(a.index, answers[i] ?? failed(a.transactionalId, ErrorCode.UNKNOWN_SERVER_ERROR)));
    }));
    return { throttleTimeMs: 0, transactionStates: asked.map((a) => states.get(a.index)!) };
  },
});
