/**
 * Writes the commit/abort markers of transactions whose Prepare* record is durable (Kafka's
 * TransactionMarkerChannelManager, in-process): one marker per partition of the transaction,
 * all at once, then the shard persists CompleteCommit/CompleteAbort.
 *
 * Partitions that cannot take their marker yet (leader moving, log loading, storage trouble)
 * are retried after a growing backoff; a deleted topic's partition is skipped; a marker refused
 * because a newer producer epoch or coordinator owns the partition ends the job (the newer owner
 * finishes it). A job is dropped when its `__transaction_state` partition is no longer led here
 * with the epoch it was started under: the next coordinator reloads the Prepare* state and sends
 * the markers again. A second job for the same transactional id (a shard reloaded and resent
 * it) replaces the first; writing a marker twice is harmless.
 */
import type { MarkerChannel, MarkerJob, TxnPartition } from '../../coordinator/transaction/shard-api.js';
import { ErrorCode } from '../../protocol/index.js';
import type { TxnMarker } from '../../storage/index.js';
import type { TimerEntry } from '../coordinator-runtime/coarse-timer.js';
import type { BrokerLogger } from '../logger.js';
import { type BackoffSettings, type RetryTimer, backoffDelayMs } from './retry-timer.js';

export interface MarkerWriterOptions {
  /** Appends one marker to a partition (txn-markers.ts `writeTxnMarker`); the error code. */
  readonly writeMarker: (topic: string, partition: number, marker: TxnMarker) => Promise<number>;
  /** Runs the shard's completeTransaction for the job once its markers are written; the error code. */
  readonly complete: (job: MarkerJob) => Promise<number>;
  /** Whether the job's `__transaction_state` partition is still led here with the job's coordinator epoch. */
  readonly isCurrent: (job: MarkerJob) => boolean;
  /** Whether the partition still exists in the cluster metadata (markers for deleted topics are skipped). */
  readonly partitionExists: (topic: string, partition: number) => boolean;
  readonly timer: RetryTimer;
  readonly logger: BrokerLogger;
  /** Waits between rounds of a job with partitions left. Default 100 ms doubling up to 2 s. */
  readonly backoff?: BackoffSettings;
}

/** What to do with a partition after its marker was attempted. */
type MarkerOutcome = 'written' | 'skip' | 'fenced' | 'retry';

interface RunningJob {
  readonly job: MarkerJob;
  /** Partitions still without their marker. */
  remaining: readonly TxnPartition[];
  /** Rounds that had to be retried. */
  retries: number;
  retryEntry: TimerEntry | undefined;
  /** Set when the job was replaced, dropped or finished: anything it still awaits is ignored. */
  ended: boolean;
}

const DEFAULT_BACKOFF: BackoffSettings = { initialMs: 100, maxMs: 2000 };

/** The completion could not run because the shard is not (or no longer) served here: its next owner resends the job. */
const COORDINATOR_MOVED: ReadonlySet<number> = new Set([
  ErrorCode.NOT_COORDINATOR, ErrorCode.COORDINATOR_NOT_AVAILABLE, ErrorCode.COORDINATOR_LOAD_IN_PROGRESS,
]);

/** Refusals that mean the marker can never be written by this job. */
const FENCED: ReadonlySet<number> = new Set([
  ErrorCode.INVALID_PRODUCER_EPOCH, ErrorCode.PRODUCER_FENCED, ErrorCode.TRANSACTION_COORDINATOR_FENCED,
]);

export class MarkerWriter implements MarkerChannel {
  private readonly jobs = new Map<string, RunningJob>();
  private readonly rounds = new Set<Promise<void>>();
  private running = true;
  private readonly backoff: BackoffSettings;

  constructor(private readonly o: MarkerWriterOptions) {
    this.backoff = o.backoff ?? DEFAULT_BACKOFF;
  }

  /** Transactional ids with markers still being written. */
  get inFlight(): readonly string[] {
    return [...this.jobs.keys()];
  }

  send(job: MarkerJob): void {
    if (!this.running) return;
    const previous = this.jobs.get(job.transactionalId);
    if (previous) this.end(previous);
    const running: RunningJob = { job, remaining: job.partitions, retries: 0, retryEntry: undefined, ended: false };
    this.jobs.set(job.transactionalId, running);
    this.startRound(running);
  }

  /**
   * Takes no new jobs and cancels waiting retries; rounds under way finish (their completion
   * included). Jobs left unfinished are resent when their shard next loads.
   */
  async stop(): Promise<void> {
    this.running = false;
    for (const running of this.jobs.values()) {
      if (running.retryEntry) this.o.timer.cancel(running.retryEntry);
      running.retryEntry = undefined;
    }
    while (this.rounds.size > 0) await Promise.all([...this.rounds]);
    for (const running of this.jobs.values()) running.ended = true;
    this.jobs.clear();
  }

  private startRound(running: RunningJob): void {
    const round = this.round(running).catch((e: unknown) => {
      this.o.logger.error(`writing the transaction markers of ${running.job.transactionalId} failed`, e);
      this.retryLater(running);
    });
    this.rounds.add(round);
    void round.finally(() => this.rounds.delete(round));
  }

  /** Writes the markers of the partitions left, then completes the transaction or schedules the next round. */
  private async round(running: RunningJob): Promise<void> {
    const { job } = running;
    if (running.ended) return;
    if (!this.o.isCurrent(job)) {
      this.o.logger.info(`dropping the transaction markers of ${job.transactionalId}: its coordinator moved (epoch ${job.coordinatorEpoch})`);
      this.end(running);
      return;
    }
    const marker: TxnMarker = { producerId: job.producerId, producerEpoch: job.producerEpoch, coordinatorEpoch: job.coordinatorEpoch, committed: job.committed };
    const errorCodes = await Promise.all(running.remaining.map((p) => this.attempt(p, marker)));
    if (running.ended) return;
    const outcomes = running.remaining.map((p, i) => this.outcomeOf(p, errorCodes[i]!));
    const fenced = running.remaining.filter((_, i) => outcomes[i] === 'fenced');
    if (fenced.length > 0) {
      this.o.logger.warn(`stopping the transaction markers of ${job.transactionalId} (producer ${job.producerId}, epoch ${job.producerEpoch}): `
        + `${fenced.map(name).join(', ')} already belong to a newer producer epoch or coordinator`);
      this.end(running);
      return;
    }
    const retried = running.remaining.map((p, i) => ({ p, errorCode: errorCodes[i]! })).filter((_, i) => outcomes[i] === 'retry');
    running.remaining = retried.map((r) => r.p);
    if (running.remaining.length > 0) {
      if (running.retries === 0) {
        this.o.logger.info(`retrying the transaction markers of ${job.transactionalId} for ${retried.map((r) => `${name(r.p)} (error ${r.errorCode})`).join(', ')}`);
      }
      this.retryLater(running);
      return;
    }
    const errorCode = await this.o.complete(job);
    if (running.ended) return;
    if (errorCode === ErrorCode.NONE || COORDINATOR_MOVED.has(errorCode)) {
      if (errorCode !== ErrorCode.NONE) this.o.logger.info(`the transaction of ${job.transactionalId} was not completed here (error ${errorCode}): its next coordinator completes it`);
      this.end(running);
      return;
    }
    this.o.logger.warn(`completing the transaction of ${job.transactionalId} failed with error ${errorCode}; retrying`);
    this.retryLater(running);
  }

  private async attempt(p: TxnPartition, marker: TxnMarker): Promise<number> {
    try {
      return await this.o.writeMarker(p.topic, p.partition, marker);
    } catch (e) {
      this.o.logger.error(`writing a transaction marker to ${name(p)} failed`, e);
      return ErrorCode.UNKNOWN_SERVER_ERROR;
    }
  }

  private outcomeOf(p: TxnPartition, errorCode: number): MarkerOutcome {
    if (errorCode === ErrorCode.NONE) return 'written';
    if (FENCED.has(errorCode)) return 'fenced';
    if (errorCode === ErrorCode.UNSUPPORTED_FOR_MESSAGE_FORMAT) return 'skip';
    if (errorCode === ErrorCode.UNKNOWN_TOPIC_OR_PARTITION && !this.o.partitionExists(p.topic, p.partition)) {
      this.o.logger.info(`skipping the transaction marker of ${name(p)}: the partition no longer exists`);
      return 'skip';
    }
    return 'retry';
  }

  private retryLater(running: RunningJob): void {
    if (!this.running || running.ended) return;
    running.retries++;
    running.retryEntry = this.o.timer.add(backoffDelayMs(this.backoff, running.retries), () => {
      running.retryEntry = undefined;
      if (this.running) this.startRound(running);
    });
  }

  private end(running: RunningJob): void {
    running.ended = true;
    if (running.retryEntry) this.o.timer.cancel(running.retryEntry);
    running.retryEntry = undefined;
    if (this.jobs.get(running.job.transactionalId) === running) this.jobs.delete(running.job.transactionalId);
  }
}

function name(p: TxnPartition): string {
  return `${p.topic}-${p.partition}`;
}
