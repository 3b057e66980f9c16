/**
 * A coordinator's view of its internal topic's partitions, backed by the replica manager: append
 * one batch (origin coordinator) or a transaction marker as the leader, and read stored batches
 * up to the high watermark to load. Tests use the in-memory twin in `testing/`.
 */
import { ErrorCode } from '../../protocol/index.js';
import { StorageError } from '../../storage/index.js';
import type { ReplicaManager } from '../replica-manager.js';
import type { CoordinatorLogApi } from './service-api.js';

export function replicaCoordinatorLog(replicas: ReplicaManager, topic: string): CoordinatorLogApi {
  return {
    async append(partition, batch) {
      const r = await replicas.append(topic, partition, batch, { origin: 'coordinator' });
      return { errorCode: r.errorCode, errorMessage: r.errorMessage };
    },
    appendTxnMarker(partition, marker) {
      return replicas.appendTxnMarker(topic, partition, marker);
    },
    bounds(partition) {
      const found = replicas.lookup(topic, partition);
      if (!found.log) return { errorCode: found.errorCode, logStartOffset: -1n, highWatermark: -1n, leaderEpoch: found.leaderEpoch };
      return { errorCode: ErrorCode.NONE, logStartOffset: found.log.logStartOffset, highWatermark: found.log.highWatermark, leaderEpoch: found.leaderEpoch };
    },
    async read(partition, offset, maxBytes) {
      const found = replicas.lookup(topic, partition);
      if (!found.log) return { errorCode: found.errorCode, records: Buffer.alloc(0), highWatermark: -1n };
      try {
        const r = await found.log.read(offset, maxBytes, { minOneBatch: true, maxOffset: found.log.highWatermark });
        if (r.kind === 'offsetOutOfRange') return { errorCode: ErrorCode.OFFSET_OUT_OF_RANGE, records: Buffer.alloc(0), highWatermark: r.highWatermark };
        return { errorCode: ErrorCode.NONE, records: r.records, highWatermark: r.highWatermark };
      } catch (e) {
        if (e instanceof StorageError) return { errorCode: e.errorCode, records: Buffer.alloc(0), highWatermark: -1n };
        throw e;
      }
    },
  };
}
