/**
 * FindCoordinator (10): v0-3 ask for one key, v4+ for a batch. A group's coordinator is the
 * leader of its `__consumer_offsets` partition, a transactional id's the leader of its
 * `__transaction_state` partition, at the address of the listener the request came in on (the
 * topic is created on first use). There is no share coordinator (INVALID_REQUEST, as Kafka
 * without one); any other key type is INVALID_REQUEST.
 */
import { ApiKey, ErrorCode, type FindCoordinatorRequest, type FindCoordinatorResponse, type FindCoordinatorResponseCoordinator } from '../../protocol/index.js';
import type { BrokerServices } from '../services.js';
import { allVersions, defineHandler } from './api-handler.js';

const GROUP_KEY = 0;
const TRANSACTION_KEY = 1;

type Found = Omit<FindCoordinatorResponseCoordinator, 'key'>;

function failed(errorCode: number, errorMessage: string): Found {
  return { errorCode, errorMessage, nodeId: -1, host: '', port: -1 };
}

async function find(services: BrokerServices, keyType: number, key: string, listenerName: string): Promise<Found> {
  if (keyType !== GROUP_KEY && keyType !== TRANSACTION_KEY) return failed(ErrorCode.INVALID_REQUEST, `Unknown coordinator type received: ${keyType}`);
  const coordinator = keyType === GROUP_KEY ? services.groupCoordinator : services.transactionCoordinator;
  const node = await coordinator.findCoordinator(key, listenerName);
  if (node.errorCode !== ErrorCode.NONE) return failed(node.errorCode, 'The coordinator is not available.');
  return { errorCode: ErrorCode.NONE, errorMessage: null, nodeId: node.nodeId, host: node.host, port: node.port };
}

export const findCoordinatorHandler = defineHandler<FindCoordinatorRequest, FindCoordinatorResponse>({
  apiKey: ApiKey.FindCoordinator,
  versions: allVersions(ApiKey.FindCoordinator),
  async handle({ body, apiVersion, services, request }) {
    const listener = request.connection.listenerName;
    if (apiVersion < 4) {
      const found = await find(services, body.keyType, body.key, listener);
      return { throttleTimeMs: 0, ...found, coordinators: [] };
    }
    const coordinators = await Promise.all(body.coordinatorKeys.map(async (key) => ({ key, ...(await find(services, body.keyType, key, listener)) })));
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, errorMessage: null, nodeId: 0, host: '', port: 0, coordinators };
  },
});
