/**
 * This broker's producer ids (Kafka's RPCProducerIdManager): blocks of ids granted by the
 * controller (AllocateProducerIds; the grant is a ProducerIdsRecord in the metadata log, so no
 * block is handed out twice, restarts included), used up one id at a time. The next block is
 * asked for once 90% of the current one is used, so moving on costs no wait; a refused or
 * failed request is retried after a growing backoff and logged.
 *
 * `next()` never waits: null while no id is at hand (the transaction coordinator answers
 * COORDINATOR_LOAD_IN_PROGRESS and the client retries). `ready()` waits for the request under
 * way (or the next retry) and says whether ids are at hand after it.
 */
import { SamsaError } from '../../common/errors.js';
import type { ProducerIdSource } from '../../coordinator/transaction/shard-api.js';
import { ErrorCode } from '../../protocol/index.js';
import type { TimerEntry } from '../coordinator-runtime/coarse-timer.js';
import type { BrokerLogger } from '../logger.js';
import { type BackoffSettings, type RetryTimer, backoffDelayMs } from './retry-timer.js';

/** What the controller answers to AllocateProducerIds. */
export interface ProducerIdBlockGrant {
  readonly errorCode: number;
  readonly producerIdStart: bigint;
  readonly producerIdLen: number;
}

export interface ProducerIdManagerOptions {
  readonly brokerId: number;
  /** AllocateProducerIds to the controller (MetadataManager.allocateProducerIds). */
  readonly allocate: (brokerId: number, brokerEpoch: bigint) => Promise<ProducerIdBlockGrant>;
  readonly timer: RetryTimer;
  readonly logger: BrokerLogger;
  /** Waits between refused requests. Default 50 ms (Kafka's) doubling up to 5 s. */
  readonly backoff?: BackoffSettings;
}

/** No producer id could be had: the controller has not granted a block (yet). */
export class ProducerIdsUnavailableError extends SamsaError {
  constructor(message: string) {
    super('SAMSA_ERR_PRODUCER_IDS_UNAVAILABLE', message);
  }
}

/** Kafka's ProducerIdManager.PidPrefetchThreshold: the next block is asked for at 90% of this one. */
const PREFETCH_THRESHOLD = 0.9;
const INT64_MAX = 2n ** 63n - 1n;
const DEFAULT_BACKOFF: BackoffSettings = { initialMs: 50, maxMs: 5000 };

interface Block {
  /** One past the last id. */
  readonly endId: bigint;
  /** Handing out this id asks for the next block. */
  readonly prefetchId: bigint;
  nextId: bigint;
}

export class ProducerIdManager implements ProducerIdSource {
  private current: Block | undefined;
  private following: Block | undefined;
  private inFlight = false;
  private retryEntry: TimerEntry | undefined;
  private failures = 0;
  private running = false;
  private brokerEpoch = -1n;
  /** One past the highest id ever granted here: a later block must start at or after it. */
  private grantedEndId = 0n;
  private waiters: ((ready: boolean) => void)[] = [];
  private readonly backoff: BackoffSettings;

  constructor(private readonly o: ProducerIdManagerOptions) {
    this.backoff = o.backoff ?? DEFAULT_BACKOFF;
  }

  /** Starts asking for blocks, as the broker registered with this epoch. */
  start(brokerEpoch: bigint): void {
    this.brokerEpoch = brokerEpoch;
    this.running = true;
    this.requestBlock();
  }

  /** Stops asking; callers waiting in `ready()` hear false. Ids at hand are dropped with the broker. */
  stop(): void {
    this.running = false;
    if (this.retryEntry) this.o.timer.cancel(this.retryEntry);
    this.retryEntry = undefined;
    this.wake();
  }

  /** A fresh producer id, or null while no block is at hand (one is being asked for). */
  next(): bigint | null {
    let block = this.current;
    if (!block || block.nextId >= block.endId) {
      block = this.following;
      if (!block) {
        this.requestBlock();
        return null;
      }
      this.current = block;
      this.following = undefined;
    }
    const id = block.nextId++;
    if (id === block.prefetchId) this.requestBlock();
    return id;
  }

  /** A fresh producer id, waiting for a block when none is at hand; ProducerIdsUnavailableError when the wait ends without one. */
  async nextAsync(): Promise<bigint> {
    const id = this.next();
    if (id !== null) return id;
    await this.ready();
    const later = this.next();
    if (later === null) throw new ProducerIdsUnavailableError('no producer id block has been granted by the controller yet');
    return later;
  }

  /** True at once when ids are at hand; else after the request under way (or the next retry) ends: whether it brought ids. */
  ready(): Promise<boolean> {
    if (this.hasIds()) return Promise.resolve(true);
    if (!this.running) return Promise.resolve(false);
    this.requestBlock();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private hasIds(): boolean {
    return this.following !== undefined || (this.current !== undefined && this.current.nextId < this.current.endId);
  }

  /** Asks the controller for the next block unless one is at hand, under way, or waiting for its retry. */
  private requestBlock(): void {
    if (!this.running || this.inFlight || this.retryEntry || this.following) return;
    this.inFlight = true;
    void this.o.allocate(this.o.brokerId, this.brokerEpoch).then(
      (grant) => this.onGrant(grant),
      (e: unknown) => this.onFailure(`AllocateProducerIds failed: ${e instanceof Error ? e.message : String(e)}`),
    );
  }

  private onGrant(grant: ProducerIdBlockGrant): void {
    if (grant.errorCode !== ErrorCode.NONE) {
      this.onFailure(`the controller refused a producer id block with error ${grant.errorCode}`);
      return;
    }
    const start = grant.producerIdStart;
    const size = BigInt(grant.producerIdLen);
    if (start < 0n || size <= 0n || start > INT64_MAX - size) {
      this.onFailure(`the controller granted an invalid producer id block: start ${start}, length ${grant.producerIdLen}`);
      return;
    }
    if (start < this.grantedEndId) {
      this.onFailure(`the controller granted producer ids from ${start}, below ids already granted (up to ${this.grantedEndId - 1n})`);
      return;
    }
    this.inFlight = false;
    this.failures = 0;
    this.grantedEndId = start + size;
    const prefetchId = start + BigInt(Math.floor(grant.producerIdLen * PREFETCH_THRESHOLD));
    this.following = { endId: start + size, prefetchId, nextId: start };
    this.wake();
  }

  private onFailure(message: string): void {
    this.inFlight = false;
    this.failures++;
    if (this.running) {
      const delayMs = backoffDelayMs(this.backoff, this.failures);
      this.o.logger.warn(`${message}; retrying in ${delayMs} ms`);
      this.retryEntry = this.o.timer.add(delayMs, () => {
        this.retryEntry = undefined;
        this.requestBlock();
      });
    }
    this.wake();
  }

  private wake(): void {
    const ready = this.hasIds();
    for (const resolve of this.waiters.splice(0)) resolve(ready);
  }
}
