/**
 * The producer's idempotence and transaction state, Kafka's way: the producer id and epoch
 * (InitProducerId), a sequence number per partition, and for a transactional producer the
 * transaction itself: Uninitialized → Ready → InTransaction → Committing/Aborting → Ready, with
 * an abortable error state (a send failed: only abort is allowed) and a fatal one (fenced: nothing
 * is allowed). The sender asks it for ids and sequences and reports producer-state errors; it
 * never sends Produce requests itself.
 */
import {
  type AddOffsetsToTxnResponse, type AddPartitionsToTxnResponse, ApiKey, type EndTxnResponse, ErrorCode, type InitProducerIdResponse,
  type TxnOffsetCommitResponse,
} from '../../protocol/index.js';
import { partitionKey, type TopicPartition } from '../admin/types.js';
import type { Cluster } from '../cluster.js';
import type { Connection } from '../connection.js';
import { CoordinatorType } from '../coordinator.js';
import { ConnectionError, KafkaResponseError, TransactionStateError, isRetriable, throwIfError } from '../errors.js';
import type { ConsumerGroupMetadata, ProducerIdAndEpoch, TransactionManagerApi, TransactionOffset } from './types.js';

export type TransactionState =
  | 'Uninitialized' | 'Initializing' | 'Ready' | 'InTransaction' | 'Committing' | 'Aborting' | 'AbortableError' | 'FatalError';

export interface TransactionManagerDeps {
  cluster: Cluster;
  transactionalId: string | null;
  idempotent: boolean;
  transactionTimeoutMs: number;
  /** Bounds the retries of one transactional call (max.block.ms). */
  maxBlockMs: number;
  retryBackoffMs: number;
}

/** Codes the transaction coordinator answers while it is busy or moving: try again. */
const TXN_RETRY: ReadonlySet<number> = new Set([
  ErrorCode.CONCURRENT_TRANSACTIONS, ErrorCode.COORDINATOR_LOAD_IN_PROGRESS, ErrorCode.NOT_COORDINATOR, ErrorCode.COORDINATOR_NOT_AVAILABLE,
  ErrorCode.REQUEST_TIMED_OUT,
]);
/** Codes that end a transactional producer for good. */
const FATAL: ReadonlySet<number> = new Set([
  ErrorCode.PRODUCER_FENCED, ErrorCode.INVALID_PRODUCER_EPOCH, ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
  ErrorCode.INVALID_PRODUCER_ID_MAPPING, ErrorCode.UNSUPPORTED_VERSION, ErrorCode.CLUSTER_AUTHORIZATION_FAILED,
]);
const MAX_EPOCH = 32767;
const MAX_SEQUENCE = 0x7fffffff;

interface PendingAdd {
  readonly tp: TopicPartition;
  readonly resolve: () => void;
  readonly reject: (e: Error) => void;
}

export class TransactionManager implements TransactionManagerApi {
  readonly idempotent: boolean;
  readonly transactional: boolean;
  private stateValue: TransactionState = 'Uninitialized';
  private ids: ProducerIdAndEpoch | null = null;
  private idRequest: Promise<ProducerIdAndEpoch> | null = null;
  private readonly sequences = new Map<string, number>();
  private readonly added = new Set<string>();
  private pendingAdds: PendingAdd[] = [];
  private addScheduled = false;
  private offsetsAdded = false;
  private lastError: Error | null = null;

  constructor(private readonly deps: TransactionManagerDeps) {
    this.transactional = deps.transactionalId !== null;
    this.idempotent = deps.idempotent || this.transactional;
  }

  get transactionalId(): string | null {
    return this.deps.transactionalId;
  }

  get state(): TransactionState {
    return this.stateValue;
  }

  /** The error that put the producer in its abortable or fatal state. */
  get error(): Error | null {
    return this.lastError;
  }

  producerIdAndEpoch(): ProducerIdAndEpoch | null {
    return this.ids;
  }

  ensureProducerId(): Promise<ProducerIdAndEpoch> {
    if (this.ids) return Promise.resolve(this.ids);
    if (this.transactional) {
      if (this.stateValue === 'FatalError') return Promise.reject(this.lastError!);
      return Promise.reject(new TransactionStateError('call initTransactions() before sending with a transactional producer'));
    }
    this.idRequest ??= this.initProducerId(null).then(
      (ids) => { this.ids = ids; this.idRequest = null; return ids; },
      (e: unknown) => { this.idRequest = null; throw e; },
    );
    return this.idRequest;
  }

  nextSequence(tp: TopicPartition): number {
    return this.sequences.get(partitionKey(tp)) ?? 0;
  }

  incrementSequence(tp: TopicPartition, recordCount: number): void {
    const key = partitionKey(tp);
    const next = (this.sequences.get(key) ?? 0) + recordCount;
    this.sequences.set(key, next > MAX_SEQUENCE ? next - MAX_SEQUENCE - 1 : next);
  }

  /** Whether `tp` is already part of the open transaction (always true without transactions). */
  isPartitionAdded(tp: TopicPartition): boolean {
    return !this.transactional || this.added.has(partitionKey(tp));
  }

  ensurePartitionAdded(tp: TopicPartition): Promise<void> {
    if (this.isPartitionAdded(tp)) return Promise.resolve();
    // A commit flushes what was sent before it: those partitions are still added.
    if (this.stateValue !== 'InTransaction' && this.stateValue !== 'Committing') return Promise.reject(this.stateError('send'));
    return new Promise((resolve, reject) => {
      this.pendingAdds.push({ tp, resolve, reject });
      if (!this.addScheduled) {
        this.addScheduled = true;
        setImmediate(() => { this.addScheduled = false; void this.addPartitions(); });
      }
    });
  }

  async onProduceError(_tp: TopicPartition, errorCode: number, _batchBaseSequence = -1): Promise<'retry' | 'reset' | 'fail'> {
    if (this.transactional) {
      const error = new KafkaResponseError(errorCode, 'Produce');
      if (FATAL.has(errorCode)) this.toFatal(error);
      else this.toAbortable(error);
      return 'fail';
    }
    if (errorCode === ErrorCode.UNKNOWN_PRODUCER_ID || errorCode === ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER) {
      await this.bumpIdempotentEpoch();
      return 'reset';
    }
    return 'fail';
  }

  onBatchFailed(_tp: TopicPartition, error: Error): void {
    if (this.transactional && this.stateValue === 'InTransaction') this.toAbortable(error);
  }

  /** Fails every send waiting for AddPartitionsToTxn (the producer is aborting or closing). */
  failPendingAdds(error: Error): void {
    for (const p of this.pendingAdds.splice(0)) p.reject(error);
  }

  async initTransactions(): Promise<void> {
    if (!this.transactional) throw new TransactionStateError('initTransactions() needs a transactionalId');
    if (this.stateValue !== 'Uninitialized') throw this.stateError('initTransactions');
    this.stateValue = 'Initializing';
    try {
      this.ids = await this.initProducerId(this.deps.transactionalId);
      this.stateValue = 'Ready';
    } catch (e) {
      if (e instanceof KafkaResponseError && FATAL.has(e.errorCode)) this.toFatal(e);
      else this.stateValue = 'Uninitialized';
      throw e;
    }
  }

  beginTransaction(): void {
    if (this.stateValue !== 'Ready') throw this.stateError('beginTransaction');
    this.stateValue = 'InTransaction';
    this.added.clear();
    this.offsetsAdded = false;
  }

  async sendOffsetsToTransaction(offsets: readonly TransactionOffset[], group: ConsumerGroupMetadata | string): Promise<void> {
    if (this.stateValue !== 'InTransaction') throw this.stateError('sendOffsetsToTransaction');
    const meta: ConsumerGroupMetadata = typeof group === 'string'
      ? { groupId: group, generationId: -1, memberId: '', groupInstanceId: null }
      : group;
    const ids = this.ids!;
    try {
      await this.txnCall(async (conn) => {
        const r = await conn.send<AddOffsetsToTxnResponse>(ApiKey.AddOffsetsToTxn, conn.versionFor(ApiKey.AddOffsetsToTxn), {
          transactionalId: this.deps.transactionalId!, producerId: ids.producerId, producerEpoch: ids.producerEpoch, groupId: meta.groupId,
        });
        throwIfError(r.errorCode, 'AddOffsetsToTxn');
      });
      this.offsetsAdded = true;
      await this.commitTxnOffsets(offsets, meta, ids);
    } catch (e) {
      this.onCallError(e as Error);
      throw e;
    }
  }

  async commitTransaction(flush: () => Promise<void>): Promise<void> {
    if (this.stateValue === 'AbortableError') throw new TransactionStateError('the transaction must be aborted', { cause: this.lastError });
    if (this.stateValue !== 'InTransaction' && this.stateValue !== 'Committing') throw this.stateError('commitTransaction');
    this.stateValue = 'Committing';
    try {
      await flush();
    } catch (e) {
      this.toAbortable(e as Error);
      throw e;
    }
    if (this.stateValue !== 'Committing') {
      throw new TransactionStateError('a send failed during the commit; the transaction must be aborted', { cause: this.lastError });
    }
    await this.endTxn(true);
  }

  async abortTransaction(drop: (error: Error) => Promise<void>): Promise<void> {
    if (this.stateValue === 'FatalError') throw this.lastError!;
    if (this.stateValue !== 'InTransaction' && this.stateValue !== 'AbortableError' && this.stateValue !== 'Aborting' && this.stateValue !== 'Committing') {
      throw this.stateError('abortTransaction');
    }
    this.stateValue = 'Aborting';
    const aborted = new TransactionStateError('the transaction was aborted');
    this.failPendingAdds(aborted);
    await drop(aborted);
    await this.endTxn(false);
  }

  private async endTxn(committed: boolean): Promise<void> {
    const ids = this.ids!;
    if (this.added.size > 0 || this.offsetsAdded) {
      try {
        await this.txnCall(async (conn) => {
          const r = await conn.send<EndTxnResponse>(ApiKey.EndTxn, conn.versionFor(ApiKey.EndTxn), {
            transactionalId: this.deps.transactionalId!, producerId: ids.producerId, producerEpoch: ids.producerEpoch, committed,
          });
          throwIfError(r.errorCode, committed ? 'EndTxn (commit)' : 'EndTxn (abort)');
        });
      } catch (e) {
        if (e instanceof KafkaResponseError && FATAL.has(e.errorCode)) this.toFatal(e);
        throw e;
      }
    }
    this.added.clear();
    this.offsetsAdded = false;
    this.lastError = null;
    this.stateValue = 'Ready';
  }

  private async commitTxnOffsets(offsets: readonly TransactionOffset[], meta: ConsumerGroupMetadata, ids: ProducerIdAndEpoch): Promise<void> {
    const byTopic = new Map<string, TransactionOffset[]>();
    for (const o of offsets) byTopic.set(o.topic, [...(byTopic.get(o.topic) ?? []), o]);
    await this.deps.cluster.withCoordinator(meta.groupId, CoordinatorType.GROUP, async (conn) => {
      const r = await conn.send<TxnOffsetCommitResponse>(ApiKey.TxnOffsetCommit, conn.versionFor(ApiKey.TxnOffsetCommit), {
        transactionalId: this.deps.transactionalId!, groupId: meta.groupId, producerId: ids.producerId, producerEpoch: ids.producerEpoch,
        generationId: meta.generationId, memberId: meta.memberId, groupInstanceId: meta.groupInstanceId,
        topics: [...byTopic].map(([name, list]) => ({
          name,
          partitions: list.map((o) => ({
            partitionIndex: o.partition, committedOffset: o.offset, committedLeaderEpoch: o.leaderEpoch ?? -1, committedMetadata: o.metadata ?? null,
          })),
        })),
      });
      for (const t of r.topics) for (const p of t.partitions) throwIfError(p.errorCode, `TxnOffsetCommit ${t.name}-${p.partitionIndex}`);
    });
  }

  private async addPartitions(): Promise<void> {
    const batch = this.pendingAdds.splice(0).filter((p) => {
      if (this.added.has(partitionKey(p.tp))) {
        p.resolve();
        return false;
      }
      return true;
    });
    if (batch.length === 0) return;
    const ids = this.ids!;
    const topics = new Map<string, Set<number>>();
    for (const p of batch) {
      const set = topics.get(p.tp.topic) ?? new Set<number>();
      set.add(p.tp.partition);
      topics.set(p.tp.topic, set);
    }
    const topicList = [...topics].map(([name, parts]) => ({ name, partitions: [...parts] }));
    try {
      await this.txnCall(async (conn) => {
        const version = Math.min(conn.versionFor(ApiKey.AddPartitionsToTxn), 3);
        const r = await conn.send<AddPartitionsToTxnResponse>(ApiKey.AddPartitionsToTxn, version, {
          transactions: [], v3AndBelowTransactionalId: this.deps.transactionalId!, v3AndBelowProducerId: ids.producerId,
          v3AndBelowProducerEpoch: ids.producerEpoch, v3AndBelowTopics: topicList,
        });
        throwIfError(r.errorCode, 'AddPartitionsToTxn');
        // CONCURRENT_TRANSACTIONS comes per partition: the whole request is tried again.
        let retry = 0;
        let failure = 0;
        for (const t of r.resultsByTopicV3AndBelow) {
          for (const p of t.resultsByPartition) {
            if (TXN_RETRY.has(p.partitionErrorCode)) retry = p.partitionErrorCode;
            else if (p.partitionErrorCode !== ErrorCode.NONE && p.partitionErrorCode !== ErrorCode.OPERATION_NOT_ATTEMPTED) failure = p.partitionErrorCode;
          }
        }
        if (failure !== 0) throw new KafkaResponseError(failure, 'AddPartitionsToTxn');
        if (retry !== 0) throw new KafkaResponseError(retry, 'AddPartitionsToTxn');
      });
      for (const p of batch) {
        this.added.add(partitionKey(p.tp));
        p.resolve();
      }
    } catch (e) {
      this.onCallError(e as Error);
      for (const p of batch) p.reject(e as Error);
    }
  }

  /** Runs `fn` on the transaction coordinator, retrying busy/moved answers until max.block.ms. */
  private async txnCall(fn: (conn: Connection) => Promise<void>): Promise<void> {
    const id = this.deps.transactionalId!;
    const deadline = performance.now() + this.deps.maxBlockMs;
    let backoffMs = Math.min(20, this.deps.retryBackoffMs);
    for (;;) {
      try {
        const { connection } = await this.deps.cluster.coordinator(id, CoordinatorType.TRANSACTION);
        await fn(connection);
        return;
      } catch (e) {
        const code = e instanceof KafkaResponseError ? e.errorCode : -1;
        const moved = code === ErrorCode.NOT_COORDINATOR || code === ErrorCode.COORDINATOR_NOT_AVAILABLE || e instanceof ConnectionError;
        if (moved) this.deps.cluster.forgetCoordinator(id, CoordinatorType.TRANSACTION);
        const again = TXN_RETRY.has(code) || moved || (isRetriable(e) && !FATAL.has(code));
        if (!again || performance.now() + backoffMs > deadline) throw e;
        await new Promise((resolve) => setTimeout(resolve, backoffMs));
        backoffMs = Math.min(backoffMs * 2, Math.max(this.deps.retryBackoffMs, 100));
      }
    }
  }

  private async initProducerId(transactionalId: string | null, current?: ProducerIdAndEpoch): Promise<ProducerIdAndEpoch> {
    const body = {
      transactionalId, transactionTimeoutMs: this.deps.transactionTimeoutMs,
      producerId: current?.producerId ?? -1n, producerEpoch: current?.producerEpoch ?? -1,
    };
    const call = async (conn: Connection): Promise<ProducerIdAndEpoch> => {
      const r = await conn.send<InitProducerIdResponse>(ApiKey.InitProducerId, conn.versionFor(ApiKey.InitProducerId), body);
      throwIfError(r.errorCode, 'InitProducerId');
      return { producerId: r.producerId, producerEpoch: r.producerEpoch };
    };
    if (transactionalId === null) return this.deps.cluster.retry(async () => call(await this.deps.cluster.anyConnection()));
    let out: ProducerIdAndEpoch | null = null;
    await this.txnCall(async (conn) => { out = await call(conn); });
    return out!;
  }

  /** KIP-360 for a plain idempotent producer: the epoch goes up by one (a new id when it would overflow), sequences restart at 0. */
  private async bumpIdempotentEpoch(): Promise<void> {
    const ids = this.ids;
    if (!ids) return;
    this.sequences.clear();
    if (ids.producerEpoch + 1 < MAX_EPOCH) {
      this.ids = { producerId: ids.producerId, producerEpoch: ids.producerEpoch + 1 };
      return;
    }
    this.ids = null;
    await this.ensureProducerId();
  }

  private onCallError(e: Error): void {
    if (e instanceof KafkaResponseError && FATAL.has(e.errorCode)) this.toFatal(e);
    else if (this.stateValue === 'InTransaction') this.toAbortable(e);
  }

  private toAbortable(e: Error): void {
    if (this.stateValue === 'FatalError' || this.stateValue === 'Aborting') return;
    this.lastError = e;
    this.stateValue = 'AbortableError';
  }

  private toFatal(e: Error): void {
    this.lastError = e;
    this.stateValue = 'FatalError';
    this.failPendingAdds(e);
  }

  private stateError(call: string): Error {
    if (this.stateValue === 'FatalError' && this.lastError) return this.lastError;
    return new TransactionStateError(`${call}() is not allowed in state ${this.stateValue}`, { cause: this.lastError ?? undefined });
  }
}
