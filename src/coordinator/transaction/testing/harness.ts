/**
 * Test support for the transaction coordinator shard: a shard over a ManualClock, ManualTimer,
 * producer ids in order and a recording marker channel, driven the way the runtime drives it
 * (records logged in order and made "durable" at once, then onDurable; markers "written" when
 * the test says, then completeTransaction), request helpers with the protocol's defaults, and
 * replay of the log into a fresh shard through the record bytes.
 */
import { ManualClock } from '../../../common/clock.js';
import type {
  AddPartitionsToTxnResponseAddPartitionsToTxnTopicResult,
  DescribeTransactionsResponseTransactionState,
  EndTxnResponse,
  InitProducerIdResponse,
} from '../../../protocol/index.js';
import { type CoordinatorResult, DeferredResponse, type RequestContext } from '../../runtime-api.js';
import { decodeTransactionRecord, encodeTransactionRecord } from '../records-serde.js';
import { TransactionCoordinatorShard } from '../shard.js';
import {
  DEFAULT_TRANSACTION_COORDINATOR_CONFIG,
  type MarkerJob,
  type TransactionCoordinatorConfig,
  type TransactionRecord,
  type TransactionShardOptions,
} from '../shard-api.js';
import { RecordingMarkerChannel, SequentialProducerIds } from './fakes.js';
import { ManualTimer } from './manual-timer.js';

export function ctx(apiVersion: number): RequestContext {
  return { apiVersion, clientId: 'producer', clientHost: '/10.0.0.1' };
}

/** Topic → partition ids. */
export type Partitions = Record<string, number[]>;

export interface HarnessOptions {
  readonly config?: Partial<TransactionCoordinatorConfig>;
  readonly coordinatorEpoch?: number;
  readonly partitionExists?: TransactionShardOptions['partitionExists'];
  /** Call onLoaded at once (a shard with an empty log); false to replay records first. */
  readonly load?: boolean;
  readonly startMs?: number;
}

export interface InitOptions {
  readonly timeoutMs?: number;
  readonly producerId?: bigint;
  readonly producerEpoch?: number;
  readonly version?: number;
}

/** The group's `__consumer_offsets` partition in tests: its name's length. */
export function offsetsPartitionFor(groupId: string): number {
  return groupId.length;
}

export class TxnHarness {
  readonly clock: ManualClock;
  readonly timer: ManualTimer<TransactionRecord>;
  readonly producerIds = new SequentialProducerIds();
  readonly markers = new RecordingMarkerChannel();
  readonly config: TransactionCoordinatorConfig;
  /** What the shard was given. */
  readonly shardOptions: TransactionShardOptions;
  readonly shard: TransactionCoordinatorShard;
  /** Every record "written", in order. */
  readonly log: TransactionRecord[] = [];

  constructor(private readonly setup: HarnessOptions = {}) {
    this.clock = new ManualClock(setup.startMs);
    this.timer = new ManualTimer(this.clock);
    this.config = { ...DEFAULT_TRANSACTION_COORDINATOR_CONFIG, ...setup.config };
    this.shardOptions = {
      partition: 0,
      coordinatorEpoch: setup.coordinatorEpoch ?? 3,
      config: this.config,
      clock: this.clock,
      timer: this.timer,
      producerIds: this.producerIds,
      markers: this.markers,
      offsetsPartitionFor,
      partitionExists: setup.partitionExists,
    };
    this.shard = new TransactionCoordinatorShard(this.shardOptions);
    if (setup.load ?? true) this.shard.onLoaded();
  }

  /** Writes the records, then runs onDurable, as the runtime does; the response. */
  run<T>(result: CoordinatorResult<T, TransactionRecord>): T {
    this.log.push(...result.records);
    result.onDurable?.();
    if (result.response instanceof DeferredResponse) throw new Error('the transaction coordinator never defers a response');
    return result.response;
  }

  /** Moves time on, running due timers: their records are logged, then their onDurable runs. */
  advance(ms: number): TransactionRecord[] {
    const records: TransactionRecord[] = [];
    for (const run of this.timer.advance(ms)) {
      this.log.push(...run.records);
      records.push(...run.records);
      run.onDurable?.();
    }
    return records;
  }

  /** "Writes" every pending marker job, then completes its transaction; the jobs taken. */
  writeMarkers(): MarkerJob[] {
    const jobs = this.markers.pending.splice(0);
    for (const job of jobs) this.run(this.shard.completeTransaction(job.transactionalId, job.producerId, job.producerEpoch));
    return jobs;
  }

  init(transactionalId: string | null, o: InitOptions = {}): InitProducerIdResponse {
    return this.run(this.shard.initProducerId(ctx(o.version ?? 4), {
      transactionalId,
      transactionTimeoutMs: o.timeoutMs ?? 60_000,
      producerId: o.producerId ?? -1n,
      producerEpoch: o.producerEpoch ?? -1,
    }));
  }

  /** AddPartitionsToTxn v0-3: the per-partition results. */
  add(transactionalId: string, producerId: bigint, producerEpoch: number, partitions: Partitions, version = 3): AddPartitionsToTxnResponseAddPartitionsToTxnTopicResult[] {
    return this.run(this.shard.addPartitionsToTxn(ctx(version), {
      transactions: [],
      v3AndBelowTransactionalId: transactionalId,
      v3AndBelowProducerId: producerId,
      v3AndBelowProducerEpoch: producerEpoch,
      v3AndBelowTopics: Object.entries(partitions).map(([name, ids]) => ({ name, partitions: ids })),
    })).resultsByTopicV3AndBelow;
  }

  /** AddPartitionsToTxn v0-3 where every partition gets the same code: that code. */
  addCode(transactionalId: string, producerId: bigint, producerEpoch: number, partitions: Partitions, version = 3): number {
    const codes = new Set(this.add(transactionalId, producerId, producerEpoch, partitions, version)
      .flatMap((t) => t.resultsByPartition.map((p) => p.partitionErrorCode)));
    if (codes.size !== 1) throw new Error(`expected one error code, got ${[...codes].join(', ')}`);
    return [...codes][0]!;
  }

  addOffsets(transactionalId: string, producerId: bigint, producerEpoch: number, groupId: string, version = 3): number {
    return this.run(this.shard.addOffsetsToTxn(ctx(version), { transactionalId, producerId, producerEpoch, groupId })).errorCode;
  }

  end(transactionalId: string, producerId: bigint, producerEpoch: number, committed: boolean, version = 3): EndTxnResponse {
    return this.run(this.shard.endTxn(ctx(version), { transactionalId, producerId, producerEpoch, committed }));
  }

  describe(transactionalId: string): DescribeTransactionsResponseTransactionState {
    return this.shard.describeTransactions([transactionalId])[0]!;
  }

  state(transactionalId: string): string {
    return this.describe(transactionalId).transactionState;
  }

  /** A fresh shard at this one's time that replays this log through the record bytes, as at load. */
  replayed(options: HarnessOptions = {}): TxnHarness {
    const other = new TxnHarness({ ...this.setup, ...options, load: false, startMs: this.clock.nowMs() });
    for (const record of this.log) {
      const { key, value } = encodeTransactionRecord(record);
      const decoded = decodeTransactionRecord(key, value);
      if (!decoded) throw new Error('a record this shard wrote did not decode');
      other.log.push(decoded);
      other.shard.replay(decoded);
    }
    if (options.load ?? true) other.shard.onLoaded();
    return other;
  }
}
