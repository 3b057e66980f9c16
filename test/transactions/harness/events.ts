/**
 * What the exactly-once workers report, one JSON object per line on stdout. The confluent-kafka
 * (Python) and KafkaJS workers of one role print the same events, so one checker reads both.
 *
 * Roles: `txn` (a transactional producer driven step by step with commands on stdin, each
 * answered by a `reply`), `reader` (reads a topic from the beginning at one isolation level),
 * `eos` (consume-transform-produce in transactions), `idempotent` (a numbered stream).
 */

/** A client error as the worker saw it, reduced to what the checks read. */
export interface ClientError {
  /**
   * confluent-kafka: KafkaError.name() ("_FENCED", "INVALID_PRODUCER_EPOCH", ...). KafkaJS: the
   * protocol error type found along the `cause` chain ("INVALID_PRODUCER_EPOCH"), else the class name.
   */
  name: string;
  message: string;
  /** confluent-kafka: KafkaError.fatal(), .retriable(), .txn_requires_abort(). */
  fatal?: boolean;
  retriable?: boolean;
  abortable?: boolean;
  /** KafkaJS: `Class:type` of each error along the cause chain. */
  chain?: string[];
}

/** Records a `send` command delivered: partition, offset, value. */
export type Delivered = [number, number, string];

export type TxnEvent =
  /** The client was created; `client` names the library and its version. */
  | { e: 'start'; client: string; pid: number }
  /** The answer to command `id`; `delivered` for `send`. */
  | { e: 'reply'; id: number; op: string; ok: true; delivered?: Delivered[] }
  | { e: 'reply'; id: number; op: string; ok: false; error: ClientError }
  /** reader: one record read. */
  | { e: 'rec'; p: number; o: number; v: string }
  /** reader (librdkafka only): the end of partition `p` reached at `o` (the LSO under read_committed). */
  | { e: 'eof'; p: number; o: number }
  /** idempotent: a record acknowledged at (p, o). */
  | { e: 'sent'; p: number; o: number; v: string }
  /** idempotent: a record whose delivery failed for good. */
  | { e: 'sendError'; v: string; error: ClientError }
  /** eos: a transaction committed: how many inputs it carried and the input positions it committed. */
  | { e: 'txn'; inputs: number; positions: [number, number][] }
  /** eos: a transactional step failed and what the worker did about it. */
  | { e: 'txnError'; stage: string; action: 'retry' | 'abort' | 'exit'; error: ClientError }
  /** eos: partitions assigned to the worker. */
  | { e: 'assign'; partitions: number[] }
  /** An error the client reported without failing a call (logged for diagnosis). */
  | { e: 'clientError'; error: string }
  /** idempotent: every record acknowledged (or failed for good). */
  | { e: 'done' }
  /** The worker stopped cleanly on "close". */
  | { e: 'closed' };

/** A worker event as collected: which worker, when (ms since the collector started), in what order. */
export type Collected = TxnEvent & { worker: string; t: number; seq: number };

/** Parses one stdout line of a worker; null for lines that are not events (library noise). */
export function parseTxnEvent(line: string): TxnEvent | null {
  const text = line.trim();
  if (!text.startsWith('{')) return null;
  try {
    const v = JSON.parse(text) as { e?: unknown };
    return typeof v.e === 'string' ? (v as TxnEvent) : null;
  } catch {
    return null;
  }
}

/** The errors that mean "fenced by a newer producer with the same transactional.id" in either client. */
export const FENCED_ERRORS: ReadonlySet<string> = new Set(['_FENCED', 'PRODUCER_FENCED', 'INVALID_PRODUCER_EPOCH']);

export function isFenced(error: ClientError): boolean {
  return FENCED_ERRORS.has(error.name) || (error.chain ?? []).some((c) => FENCED_ERRORS.has(c.split(':')[1] ?? ''));
}
