/**
 * What the group API handlers share: the request context the coordinator shards see, and
 * splitting multi-group requests by the shard owning each group.
 */
import type { RequestContext } from '../../coordinator/group/shard-api.js';
import type { NetworkRequest } from '../network/index.js';
import type { BrokerServices } from '../services.js';

/** Kafka reports a member's host as InetAddress.toString: "/" and the address. */
export function groupRequestContext(request: NetworkRequest, apiVersion: number): RequestContext {
  return { apiVersion, clientId: request.header.clientId ?? '', clientHost: `/${request.connection.remoteAddress}` };
}

/** Runs `run` once per shard with the items whose group it owns; the answers concatenated. */
export async function perShard<T, R>(
  services: BrokerServices,
  items: readonly T[],
  groupIdOf: (item: T) => string,
  run: (groupId: string, items: T[]) => Promise<readonly R[]>,
): Promise<R[]> {
  const byShard = services.groupCoordinator.byPartition(items, groupIdOf);
  const answers = await Promise.all([...byShard.values()].map((list) => run(groupIdOf(list[0]!), list)));
  return answers.flat();
}
