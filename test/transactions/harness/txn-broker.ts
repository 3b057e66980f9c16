/**
 * `samsa start` as a separate process for the exactly-once suites, behind two relays:
 * clients → WireTap (the group suites' tap: records the group protocol, points clients at
 * itself) → TxnTap (records transactions, Produce and Fetch) → broker. SIGKILL/SIGTERM restarts
 * on the same data dir keep both relays in front. Also the suites' direct reads of broker state:
 * end offsets per isolation level and committed offsets with requireStable.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ApiKey, ErrorCode, ListOffsetsRequest, type ListOffsetsResponse, OffsetFetchRequest, type OffsetFetchResponse,
} from '../../../src/protocol/index.js';
import { type BrokerProcess, killHard, startBrokerProcess, stopGracefully } from '../../broker/broker-process.js';
import { GROUP_OVERRIDES, withRawClient } from '../../groups/harness/setup.js';
import { WireTap } from '../../groups/harness/wire-tap.js';
import { TxnTap } from './txn-tap.js';

/**
 * Single-node transaction settings, as a one-broker Kafka needs them, and a 500 ms sweep for
 * timed-out transactions (Kafka's default is 10 s) so the timeout suite stays short.
 */
export const TXN_OVERRIDES: readonly string[] = [
  'transaction.state.log.replication.factor=1',
  'transaction.state.log.min.isr=1',
  'transaction.abort.timed.out.transaction.cleanup.interval.ms=500',
];

export interface TxnBroker {
  readonly broker: BrokerProcess;
  readonly tap: WireTap;
  readonly txnTap: TxnTap;
  readonly dataDir: string;
  /** What clients are given: the WireTap. */
  readonly bootstrap: string;
  /** How many times the broker was restarted. */
  readonly restarts: number;
  restart(how: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  stop(): Promise<void>;
}

export async function startTxnBroker(extra: readonly string[] = []): Promise<TxnBroker> {
  const dataDir = await mkdtemp(join(tmpdir(), 'samsa-txn-'));
  const overrides = [...GROUP_OVERRIDES, ...TXN_OVERRIDES, ...extra];
  let broker = await startBrokerProcess(dataDir, overrides);
  const txnTap = await TxnTap.start(broker.port);
  const tap = await WireTap.start(txnTap.port);
  let restarts = 0;
  return {
    get broker() { return broker; },
    get restarts() { return restarts; },
    tap,
    txnTap,
    dataDir,
    bootstrap: tap.bootstrap,
    async restart(how) {
      if (how === 'SIGKILL') await killHard(broker);
      else assert.equal(await stopGracefully(broker), 0, `broker did not stop cleanly:\n${broker.output().slice(-3000)}`);
      broker = await startBrokerProcess(dataDir, overrides);
      restarts++;
      txnTap.retarget(broker.port);
      tap.dropConnections();
    },
    async stop() {
      // SAMSA_TEST_TXN_DUMP=<dir>: keep what both relays recorded and the broker's output.
      const dumpDir = process.env.SAMSA_TEST_TXN_DUMP;
      if (dumpDir) {
        await mkdir(dumpDir, { recursive: true });
        const stamp = `${process.pid}-${Date.now()}`;
        await writeFile(join(dumpDir, `txn-tap-${stamp}.jsonl`), txnTap.toJsonLines());
        await writeFile(join(dumpDir, `group-tap-${stamp}.jsonl`), tap.toJsonLines());
        await writeFile(join(dumpDir, `broker-${stamp}.log`), broker.output());
      }
      await tap.stop();
      await txnTap.stop();
      await stopGracefully(broker);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export const READ_UNCOMMITTED = 0;
export const READ_COMMITTED = 1;

/** ListOffsets latest per partition 0..n-1: the high watermark (read_uncommitted) or the last stable offset (read_committed). */
export async function latestOffsets(port: number, topic: string, partitions: number, isolationLevel: number): Promise<number[]> {
  return withRawClient(port, async (c) => {
    const r = await c.request<ListOffsetsResponse>(ApiKey.ListOffsets, 7, {
      ...ListOffsetsRequest.defaults(), replicaId: -1, isolationLevel,
      topics: [{ name: topic, partitions: Array.from({ length: partitions }, (_, p) => ({ partitionIndex: p, currentLeaderEpoch: -1, timestamp: -1n, maxNumOffsets: 1, _unknownTaggedFields: undefined })), _unknownTaggedFields: undefined }],
    });
    const parts = r.topics[0]!.partitions;
    for (const p of parts) assert.equal(p.errorCode, ErrorCode.NONE, `ListOffsets ${topic}-${p.partitionIndex} isolation ${isolationLevel}`);
    return [...parts].sort((a, b) => a.partitionIndex - b.partitionIndex).map((p) => Number(p.offset));
  });
}

/**
 * The group's committed offsets of `topic` (OffsetFetch v7, requireStable): -1 where none; null
 * while a transactional commit of the group is still pending (UNSTABLE_OFFSET_COMMIT).
 */
export async function stableCommittedOffsets(port: number, group: string, topic: string, partitions: number): Promise<number[] | null> {
  return withRawClient(port, async (c) => {
    const r = await c.request<OffsetFetchResponse>(ApiKey.OffsetFetch, 7, {
      ...OffsetFetchRequest.defaults(), groupId: group, requireStable: true,
      topics: [{ name: topic, partitionIndexes: Array.from({ length: partitions }, (_, p) => p), _unknownTaggedFields: undefined }],
    });
    if (r.errorCode === ErrorCode.UNSTABLE_OFFSET_COMMIT) return null;
    assert.equal(r.errorCode, ErrorCode.NONE, `OffsetFetch ${group}`);
    const out = Array.from({ length: partitions }, () => -1);
    for (const t of r.topics) {
      for (const p of t.partitions) {
        if (p.errorCode === ErrorCode.UNSTABLE_OFFSET_COMMIT) return null;
        assert.equal(p.errorCode, ErrorCode.NONE, `OffsetFetch ${group} ${t.name}-${p.partitionIndex}`);
        if (t.name === topic) out[p.partitionIndex] = Number(p.committedOffset);
      }
    }
    return out;
  });
}
