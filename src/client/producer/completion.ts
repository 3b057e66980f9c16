/**
 * Where a record's outcome goes. send() uses one sink per record (its promise); sendBatch() one
 * sink for all its records, so a call of 1,000 records costs one promise, not 1,000.
 */
import type { RecordMetadata } from './types.js';

export interface CompletionSink {
  complete(slot: number, metadata: RecordMetadata): void;
  fail(slot: number, error: Error): void;
}

/** One record, one promise. */
export class SingleSink implements CompletionSink {
  readonly promise: Promise<RecordMetadata>;
  private resolve!: (md: RecordMetadata) => void;
  private reject!: (e: Error) => void;

  constructor() {
    this.promise = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  complete(_slot: number, metadata: RecordMetadata): void {
    this.resolve(metadata);
  }

  fail(_slot: number, error: Error): void {
    this.reject(error);
  }
}

/** Many records, one promise: resolves with every result in order, or rejects with the first failure once all are settled. */
export class BatchSink implements CompletionSink {
  readonly promise: Promise<RecordMetadata[]>;
  private readonly results: RecordMetadata[];
  private remaining: number;
  private firstError: Error | null = null;
  private resolve!: (md: RecordMetadata[]) => void;
  private reject!: (e: Error) => void;

  constructor(count: number) {
    this.results = new Array<RecordMetadata>(count);
    this.remaining = count;
    this.promise = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    if (count === 0) this.resolve([]);
  }

  complete(slot: number, metadata: RecordMetadata): void {
    this.results[slot] = metadata;
    this.settleOne();
  }

  fail(_slot: number, error: Error): void {
    this.firstError ??= error;
    this.settleOne();
  }

  private settleOne(): void {
    if (--this.remaining > 0) return;
    if (this.firstError) this.reject(this.firstError);
    else this.resolve(this.results);
  }
}
