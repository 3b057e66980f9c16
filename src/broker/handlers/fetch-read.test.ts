import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ErrorCode, ZERO_UUID } from '../../protocol/index.js';
import type { ReadResult, ReplicaManager } from '../replica-manager.js';
import { type ResolvedFetchTopic, readFetchPass } from './fetch-read.js';

/** A partition is a list of batch sizes; a read returns whole batches from the first (KIP-74 rules). */
function readBatches(batches: readonly number[], maxBytes: number, minOneBatch: boolean): number {
  let size = 0;
  for (const b of batches) {
    if (size + b > maxBytes && !(size === 0 && minOneBatch)) break;
    size += b;
  }
  return size;
}

function fakeReplicas(partitions: ReadonlyArray<readonly number[]>, delays: readonly number[]): ReplicaManager {
  let call = 0;
  const replicas = {
    lookup: (_topic: string, partition: number) => ({ log: { partition }, leaderEpoch: 0, errorCode: ErrorCode.NONE }),
    read: async (log: { partition: number }, _offset: bigint, maxBytes: number, minOneBatch: boolean): Promise<ReadResult> => {
      await new Promise((resolve) => setTimeout(resolve, delays[call++ % delays.length]));
      const size = readBatches(partitions[log.partition]!, maxBytes, minOneBatch);
      return { errorCode: ErrorCode.NONE, highWatermark: 0n, lastStableOffset: 0n, logStartOffset: 0n, records: Buffer.alloc(size), abortedTransactions: null };
    },
  };
  return replicas as unknown as ReplicaManager;
}

/** What one-at-a-time reading in request order gives. */
function sequential(partitions: ReadonlyArray<readonly number[]>, partitionMaxBytes: readonly number[], maxBytes: number): number[] {
  let budget = maxBytes;
  let bytes = 0;
  return partitions.map((batches, i) => {
    const size = readBatches(batches, Math.max(0, Math.min(partitionMaxBytes[i]!, budget)), bytes === 0);
    bytes += size;
    budget -= size;
    return size;
  });
}

test('reads started together answer exactly as reads one at a time in request order would', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 5 }), { minLength: 1, maxLength: 8 }),
      fc.array(fc.integer({ min: 0, max: 80 }), { minLength: 8, maxLength: 8 }),
      fc.integer({ min: 0, max: 200 }),
      fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 8 }),
      async (partitions, partitionMaxBytes, maxBytes, delays) => {
        const topic: ResolvedFetchTopic = {
          name: 't',
          topicId: ZERO_UUID,
          errorCode: ErrorCode.NONE,
          partitions: partitions.map((_, i) => ({ partition: i, currentLeaderEpoch: -1, fetchOffset: 0n, lastFetchedEpoch: -1, logStartOffset: -1n, partitionMaxBytes: partitionMaxBytes[i]!, replicaDirectoryId: ZERO_UUID, _unknownTaggedFields: undefined })),
        };
        const pass = await readFetchPass(fakeReplicas(partitions, delays), [topic], { maxBytes, readCommitted: false, legacyMagic: null });
        const sizes = pass.topics[0]!.partitions.map((p) => (p.records as Buffer).length);
        assert.deepEqual(sizes, sequential(partitions, partitionMaxBytes, maxBytes));
        assert.equal(pass.bytes, sizes.reduce((a, b) => a + b, 0));
      },
    ),
    { numRuns: 300 },
  );
});
