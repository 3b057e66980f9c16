/**
 * What a group consumer worker reports, one JSON object per line on its stdout. Every worker
 * (confluent-kafka, kafka-python, KafkaJS, node-rdkafka) prints the same events, so one checker
 * reads them all. Partitions are numbers of the one topic a worker subscribes to.
 *
 * Order inside one worker is the order things happened: a record is reported before the commit
 * that covers it, and a commit only once the coordinator acknowledged it.
 */

export type WorkerEvent =
  /** The consumer was created; `client` names the library and its version. */
  | { e: 'start'; client: string; pid: number }
  /**
   * Partitions given to the worker. `incremental: false` (eager protocols): the whole new
   * assignment, replacing the previous one. `incremental: true` (cooperative, KIP-848): added.
   * `generation` when the client exposes it.
   */
  | { e: 'assign'; partitions: number[]; incremental: boolean; generation?: number | null }
  /** Partitions taken away; eager protocols revoke everything before rejoining. */
  | { e: 'revoke'; partitions: number[]; incremental: boolean }
  /** Partitions lost without a clean revoke (session expired, fenced). */
  | { e: 'lost'; partitions: number[]; incremental: boolean }
  /** One record processed: partition, offset, value. */
  | { e: 'rec'; p: number; o: number; v: string }
  /** Offsets (next offset to read) the coordinator acknowledged, per partition. */
  | { e: 'commit'; offsets: [number, number][] }
  /** A commit the coordinator (or the client) refused. */
  | { e: 'commitError'; offsets: [number, number][]; error: string }
  /** An error the client reported without failing (logged for diagnosis). */
  | { e: 'clientError'; error: string }
  /** The worker left the group and is about to exit. */
  | { e: 'closed' };

/** A worker event as collected: which worker, when (ms since the collector started), in what order. */
export type Collected = WorkerEvent & { worker: string; t: number; seq: number };

/** The harness's own marks in the same timeline: a worker killed, a phase started. */
export interface Mark {
  kind: 'kill' | 'phase' | 'exit';
  worker?: string;
  label: string;
  t: number;
  seq: number;
}

/** Parses one stdout line of a worker; null for lines that are not events (library noise). */
export function parseEvent(line: string): WorkerEvent | null {
  const text = line.trim();
  if (!text.startsWith('{')) return null;
  try {
    const v = JSON.parse(text) as { e?: unknown };
    return typeof v.e === 'string' ? (v as WorkerEvent) : null;
  } catch {
    return null;
  }
}
