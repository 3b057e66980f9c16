/**
 * Stand-ins for what the broker gives a transaction shard: producer ids handed out in order (or
 * none, as before the first block arrives) and a marker channel that records the jobs asked of it.
 */
import type { MarkerChannel, MarkerJob, ProducerIdSource } from '../shard-api.js';

export class SequentialProducerIds implements ProducerIdSource {
  /** False: `next()` answers null, as while the broker waits for a block. */
  available = true;

  constructor(private nextId = 1000n) {}

  next(): bigint | null {
    if (!this.available) return null;
    return this.nextId++;
  }
}

export class RecordingMarkerChannel implements MarkerChannel {
  /** Every job asked for, in order. */
  readonly sent: MarkerJob[] = [];
  /** Jobs not yet taken by the test. */
  readonly pending: MarkerJob[] = [];

  send(job: MarkerJob): void {
    this.sent.push(job);
    this.pending.push(job);
  }
}
