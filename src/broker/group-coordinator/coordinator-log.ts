/**
 * The coordinator's view of its `__consumer_offsets` partitions: append one batch as the leader,
 * and read stored batches up to the high watermark to load. Backed by the replica manager; tests
 * use an in-memory twin.
 */
import { ErrorCode } from '../../protocol/index.js';
import { StorageError } from '../../storage/index.js';
import type { ReplicaManager } from '../replica-manager.js';

export interface CoordinatorLogRead {
  errorCode: number;
  /** Whole batches from the requested offset, below the high watermark; empty at the end. */
  records: Buffer;
  highWatermark: bigint;
}

export interface CoordinatorLog {
  /** Appends one v2 batch; durable (committed) when it resolves with NONE. */
  append(partition: number, batch: Buffer): Promise<{ errorCode: number; errorMessage: string | null }>;
  /** Where loading starts and stops, or an error code when the partition is not led here. */
  bounds(partition: number): { errorCode: number; logStartOffset: bigint; highWatermark: bigint };
  read(partition: number, offset: bigint, maxBytes: number): Promise<CoordinatorLogRead>;
}

export function replicaCoordinatorLog(replicas: ReplicaManager, topic: string): CoordinatorLog {
  return {
    async append(partition, batch) {
      const r = await replicas.append(topic, partition, batch);
      return { errorCode: r.errorCode, errorMessage: r.errorMessage };
    },
    bounds(partition) {
      const found = replicas.lookup(topic, partition);
      if (!found.log) return { errorCode: found.errorCode, logStartOffset: -1n, highWatermark: -1n };
      return { errorCode: ErrorCode.NONE, logStartOffset: found.log.logStartOffset, highWatermark: found.log.highWatermark };
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
