/**
 * Coordinators for many keys of one type at once: one batched FindCoordinator where the broker
 * has v4, else one request per key. Each key gets its node or the Kafka error the broker gave,
 * so the caller decides per key whether to retry.
 */
import { ApiKey, type FindCoordinatorResponse } from '../../protocol/index.js';
import type { Connection } from '../connection.js';
import { type CoordinatorType, findCoordinator } from '../coordinator.js';
import { KafkaResponseError, ProtocolViolationError } from '../errors.js';
import type { BrokerNode } from '../metadata.js';

export type CoordinatorLookup = BrokerNode | KafkaResponseError;

export async function findCoordinators(conn: Connection, keys: readonly string[], keyType: CoordinatorType): Promise<Map<string, CoordinatorLookup>> {
  const found = new Map<string, CoordinatorLookup>();
  if (keys.length === 0) return found;
  if (!conn.supports(ApiKey.FindCoordinator, 4)) {
    await Promise.all(keys.map(async (key) => {
      try {
        found.set(key, await findCoordinator(conn, key, keyType));
      } catch (e) {
        if (!(e instanceof KafkaResponseError)) throw e;
        found.set(key, e);
      }
    }));
    return found;
  }
  const r = await conn.send<FindCoordinatorResponse>(ApiKey.FindCoordinator, conn.versionFor(ApiKey.FindCoordinator, 4), {
    key: '', keyType, coordinatorKeys: [...keys],
  });
  for (const c of r.coordinators) {
    found.set(c.key, c.errorCode === 0
      ? { nodeId: c.nodeId, host: c.host, port: c.port, rack: null }
      : new KafkaResponseError(c.errorCode, `FindCoordinator for ${JSON.stringify(c.key)}`, c.errorMessage));
  }
  const missing = keys.find((k) => !found.has(k));
  if (missing !== undefined) throw new ProtocolViolationError(`FindCoordinator: the answer names no coordinator for ${JSON.stringify(missing)}`);
  return found;
}
