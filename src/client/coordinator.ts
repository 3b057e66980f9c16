/**
 * FindCoordinator across versions: v0 asks by key, v1-3 add the key type, v4+ batch the keys
 * and answer in a list.
 */
import { ApiKey, type FindCoordinatorResponse } from '../protocol/index.js';
import type { Connection } from './connection.js';
import { ProtocolViolationError, throwIfError } from './errors.js';
import type { BrokerNode } from './metadata.js';

export const CoordinatorType = { GROUP: 0, TRANSACTION: 1 } as const;
export type CoordinatorType = (typeof CoordinatorType)[keyof typeof CoordinatorType];

/** The broker that coordinates `key`; a Kafka error code in the answer is thrown. */
export async function findCoordinator(conn: Connection, key: string, keyType: CoordinatorType): Promise<BrokerNode> {
  const version = conn.versionFor(ApiKey.FindCoordinator, keyType === CoordinatorType.GROUP ? 0 : 1);
  const r = await conn.send<FindCoordinatorResponse>(ApiKey.FindCoordinator, version, {
    key: version < 4 ? key : '',
    keyType,
    coordinatorKeys: version >= 4 ? [key] : [],
  });
  const context = `FindCoordinator for ${JSON.stringify(key)}`;
  if (version < 4) {
    throwIfError(r.errorCode, context, r.errorMessage);
    return { nodeId: r.nodeId, host: r.host, port: r.port, rack: null };
  }
  const c = r.coordinators.find((x) => x.key === key) ?? r.coordinators[0];
  if (!c) throw new ProtocolViolationError(`${context}: the answer names no coordinator`);
  throwIfError(c.errorCode, context, c.errorMessage);
  return { nodeId: c.nodeId, host: c.host, port: c.port, rack: null };
}
