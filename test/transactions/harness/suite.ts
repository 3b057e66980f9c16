/**
 * Steps every exactly-once suite takes: checking replies of the step-by-step producers, reading a
 * topic to its end at an isolation level, and the seed of a run's random choices.
 */
import assert from 'node:assert/strict';
import { SeededRandom } from '../../../src/common/random.js';
import type { Delivered, TxnEvent } from './events.js';
import type { ClientKind, Proc, Processes } from './processes.js';
import { READ_UNCOMMITTED, type TxnBroker, latestOffsets } from './txn-broker.js';
import type { ReadRecord } from './streams.js';

export type Isolation = 'read_committed' | 'read_uncommitted';
type Reply = Extract<TxnEvent, { e: 'reply' }>;

/** The reply of a command that must succeed; `delivered` for a send. */
export async function ok(proc: Proc, op: string, args: object = {}): Promise<Delivered[]> {
  const r = await proc.request(op, args);
  if (!r.ok) assert.fail(`${proc.name} (${proc.kind}) ${op} failed: ${JSON.stringify(r.error)}`);
  return r.delivered ?? [];
}

/** The reply of a command that must fail. */
export async function refused(proc: Proc, op: string, args: object = {}): Promise<Extract<Reply, { ok: false }>> {
  const r = await proc.request(op, args);
  if (r.ok) assert.fail(`${proc.name} (${proc.kind}) ${op} succeeded where it must fail`);
  return r;
}

/** `count` records from `from` on: value "<prefix>-<i>" to partition i % partitions. */
export function spread(prefix: string, from: number, count: number, partitions: number): [number, string][] {
  return Array.from({ length: count }, (_, k) => [(from + k) % partitions, `${prefix}-${from + k}`]);
}

/** The run's seed: SAMSA_TEST_SEED, or a fresh one (printed by the suites so a run can be repeated). */
export function runRandom(): { seed: number; random: SeededRandom } {
  const seed = process.env.SAMSA_TEST_SEED ? Number(process.env.SAMSA_TEST_SEED) : Date.now() % 1_000_000;
  return { seed, random: new SeededRandom(seed) };
}

/**
 * Reads every partition of `topic` from the beginning with a confluent-kafka reader until it has
 * reached the high watermark of each (librdkafka reports the end of a partition: the last stable
 * offset under read_committed), then closes it. The records in the order read. For topics
 * without open transactions: under read_committed an open one would keep the reader short.
 */
export async function readToEnd(w: Processes, tb: TxnBroker, name: string, topic: string, partitions: number, isolation: Isolation, timeoutMs = 60_000): Promise<ReadRecord[]> {
  const end = await latestOffsets(tb.broker.port, topic, partitions, READ_UNCOMMITTED);
  w.start(name, 'confluent-kafka', 'reader', { bootstrap: tb.bootstrap, topic, partitions, isolation });
  await w.waitFor(`${name} at the end of ${topic} (${end.join(',')})`, () => {
    const reached = new Map<number, number>();
    for (const e of w.of(name)) if (e.e === 'eof') reached.set(e.p, Math.max(reached.get(e.p) ?? -1, e.o));
    return end.every((o, p) => (reached.get(p) ?? -1) >= o);
  }, timeoutMs);
  await w.close(name);
  return w.records(name);
}

/** Starts a reader of either client on `topic`. */
export function startReader(w: Processes, tb: TxnBroker, name: string, kind: ClientKind, topic: string, partitions: number, isolation: Isolation): Proc {
  return w.start(name, kind, 'reader', { bootstrap: tb.bootstrap, topic, partitions, isolation });
}

/** Resolves once reader `name` has read every "offset:value" in `want`. */
export function waitForRecords(w: Processes, name: string, want: readonly Delivered[], timeoutMs = 30_000): Promise<void> {
  const wanted = want.map(([p, o, v]) => `${p}/${o}:${v}`);
  return w.waitFor(`${name} to read ${wanted.length} records (${wanted.slice(0, 3).join(', ')}…)`, () => {
    const read = new Set(w.records(name).map((r) => `${r.p}/${r.o}:${r.v}`));
    return wanted.every((x) => read.has(x));
  }, timeoutMs);
}

/** Polls `predicate` every 20 ms (for state the worker events do not announce, such as the taps'). */
export async function until(what: string, predicate: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * SIGKILLs and restarts the broker right after it answered an `apiKey` request whose answer the
 * TxnTap kept from the client: work the broker did that the client must repeat.
 */
export async function killBrokerAfterWithheld(w: Processes, tb: TxnBroker, apiKey: number, apiName: string): Promise<void> {
  const withheld = (): number => tb.txnTap.exchanges.filter((x) => x.withheld).length;
  const before = withheld();
  tb.txnTap.withhold(apiKey);
  await until(`an answer to ${apiName} to withhold`, () => withheld() > before, 60_000);
  w.mark('broker', `SIGKILL after a withheld ${apiName} answer`);
  await tb.restart('SIGKILL');
  w.mark('broker', 'back');
}
