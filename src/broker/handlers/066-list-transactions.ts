/**
 * ListTransactions (66), v0-1: the transactions of every shard served here, filtered by state
 * name, producer id and (v1) how long they have been running. State names Kafka does not know
 * are echoed in UnknownStateFilters (and match nothing). A shard still loading makes the answer
 * COORDINATOR_LOAD_IN_PROGRESS.
 */
import { ApiKey, ErrorCode, type ListTransactionsRequest, type ListTransactionsResponse } from '../../protocol/index.js';
import { TRANSACTION_STATE_NAMES } from '../../coordinator/transaction/shard-api.js';
import { allVersions, defineHandler } from './api-handler.js';

const KNOWN_STATES: ReadonlySet<string> = new Set(Object.values(TRANSACTION_STATE_NAMES));

export const listTransactionsHandler = defineHandler<ListTransactionsRequest, ListTransactionsResponse>({
  apiKey: ApiKey.ListTransactions,
  versions: allVersions(ApiKey.ListTransactions),
  async handle({ body, apiVersion, services }) {
    const filter = {
      stateFilters: body.stateFilters,
      producerIdFilters: body.producerIdFilters,
      durationFilterMs: apiVersion >= 1 ? body.durationFilter : -1n,
    };
    const { errorCode, results } = await services.transactionCoordinator.readAll((shard) => shard.listTransactions(filter));
    if (errorCode !== ErrorCode.NONE) return { throttleTimeMs: 0, errorCode, unknownStateFilters: [], transactionStates: [] };
    const unknownStateFilters = [...new Set(body.stateFilters.filter((name) => !KNOWN_STATES.has(name)))];
    return { throttleTimeMs: 0, errorCode, unknownStateFilters, transactionStates: results };
  },
});
