/**
 * A node-rdkafka (librdkafka 2.12) group consumer as its own process for the group interop suites:
 *   node node-rdkafka-worker.js '<json config>'
 * `protocol: 'consumer'` uses KIP-848 (ConsumerGroupHeartbeat, incremental assign/revoke);
 * 'classic' uses JoinGroup/SyncGroup with librdkafka's default eager assignors.
 * The module is loaded from SAMSA_TEST_NODE_RDKAFKA (see ../node-rdkafka.ts). Prints the events of
 * ../events.ts; "close" on stdin (or its end) closes the consumer (leaves the group).
 */
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkerEvent } from '../events.js';
import { NODE_RDKAFKA_DIR } from '../node-rdkafka.js';

interface Config {
  bootstrap: string;
  topic: string;
  group: string;
  name: string;
  protocol: 'classic' | 'consumer';
  sessionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  processDelayMs?: number;
  batch?: number;
  extra?: Record<string, string | number | boolean>;
}

/* The node-rdkafka surface used here (it ships types, but it is loaded from outside the package). */
interface TopicPartition { topic: string; partition: number; offset?: number }
interface RdMessage { topic: string; partition: number; offset: number; value: Buffer | null }
interface RdError { code: number; message: string }
interface RdConsumer {
  connect(opts: object, cb: (err: RdError | null) => void): void;
  subscribe(topics: string[]): void;
  consume(count: number, cb: (err: RdError | null, messages: RdMessage[]) => void): void;
  setDefaultConsumeTimeout(ms: number): void;
  commitSync(tp: TopicPartition[]): void;
  assign(tp: TopicPartition[]): void;
  unassign(): void;
  unsubscribe(): void;
  incrementalAssign(tp: TopicPartition[]): void;
  incrementalUnassign(tp: TopicPartition[]): void;
  rebalanceProtocol(): string;
  disconnect(cb: () => void): void;
  on(event: string, cb: (arg: unknown) => void): void;
}
interface RdModule {
  KafkaConsumer: new (conf: object, topicConf: object) => RdConsumer;
  librdkafkaVersion: string;
  CODES: { ERRORS: Record<string, number> };
}

const cfg = JSON.parse(process.argv[2] ?? '{}') as Config;
const require = createRequire(import.meta.url);
const rd = require(NODE_RDKAFKA_DIR) as RdModule;
const version = (JSON.parse(readFileSync(join(NODE_RDKAFKA_DIR, 'package.json'), 'utf8')) as { version: string }).version;
const ASSIGN = rd.CODES.ERRORS.ERR__ASSIGN_PARTITIONS;
const REVOKE = rd.CODES.ERRORS.ERR__REVOKE_PARTITIONS;

function emit(event: WorkerEvent): void {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

const partitions = (tps: TopicPartition[]): number[] => tps.map((tp) => tp.partition).sort((a, b) => a - b);

/*
 * node-rdkafka fills a consume() batch on a worker thread, and the rebalance callback reaches
 * JavaScript separately: a batch can hold messages of a partition revoked meanwhile (dropped:
 * its next owner reads them from the committed offset), or, after an eager revoke and re-assign
 * of the same partition, messages this member already processed since the re-assignment, fetched
 * again from the committed offset (skipped: `processed` is the offset range handled since then).
 * Processing is synchronous, so no rebalance callback runs between a record and its commit.
 */
const owned = new Set<number>();
const processed = new Map<number, { from: number; to: number }>();
const pause = new Int32Array(new SharedArrayBuffer(4));
const sleep = (ms: number): void => {
  if (ms > 0) Atomics.wait(pause, 0, 0, ms);
};

const conf: Record<string, unknown> = {
  'bootstrap.servers': cfg.bootstrap,
  'group.id': cfg.group,
  'client.id': cfg.name,
  'group.protocol': cfg.protocol,
  'enable.auto.commit': false,
  'fetch.wait.max.ms': 100,
  'topic.metadata.refresh.interval.ms': 2000,
  rebalance_cb(this: RdConsumer, err: RdError, assignment: TopicPartition[]): void {
    const incremental = this.rebalanceProtocol() === 'COOPERATIVE';
    const ps = partitions(assignment);
    if (err.code === ASSIGN) {
      if (!incremental) owned.clear();
      for (const p of ps) owned.add(p);
      emit({ e: 'assign', partitions: ps, incremental });
      if (incremental) this.incrementalAssign(assignment);
      else this.assign(assignment);
    } else if (err.code === REVOKE) {
      for (const p of ps) {
        owned.delete(p);
        processed.delete(p);
      }
      emit({ e: 'revoke', partitions: ps, incremental });
      if (incremental) this.incrementalUnassign(assignment);
      else this.unassign();
    } else {
      emit({ e: 'clientError', error: `rebalance: ${err.message}` });
    }
  },
  ...cfg.extra,
};
if (cfg.protocol === 'classic') {
  conf['session.timeout.ms'] = cfg.sessionTimeoutMs ?? 6000;
  conf['heartbeat.interval.ms'] = cfg.heartbeatIntervalMs ?? 500;
}
const consumer = new rd.KafkaConsumer(conf, { 'auto.offset.reset': 'earliest' });
consumer.on('event.error', (e) => emit({ e: 'clientError', error: String((e as RdError).message ?? e) }));

/*
 * Closing: unsubscribe first and keep polling until the revocation has been served, then
 * disconnect. Disconnecting straight away hangs librdkafka 2.12 when a rebalance hands this
 * member partitions during its close (the assignment callback is never completed).
 */
let closing = false;
let closeStartedAt = 0;
let disconnecting = false;
function close(): void {
  if (closing) return;
  closing = true;
  closeStartedAt = Date.now();
  try {
    consumer.unsubscribe();
  } catch (e) {
    emit({ e: 'clientError', error: `unsubscribe: ${String((e as RdError).message ?? e)}` });
  }
}

function disconnect(): void {
  disconnecting = true;
  consumer.disconnect(() => {
    emit({ e: 'closed' });
    process.exit(0);
  });
}

function loop(): void {
  if (disconnecting) return;
  if (closing && ((owned.size === 0 && Date.now() - closeStartedAt > 200) || Date.now() - closeStartedAt > 10_000)) return disconnect();
  consumer.consume(cfg.batch ?? 50, (err, messages) => {
    if (disconnecting) return;
    if (err) emit({ e: 'clientError', error: `consume: ${err.message}` });
    const next = new Map<number, number>();
    for (const m of messages ?? []) {
      const done = processed.get(m.partition);
      if (!owned.has(m.partition) || (done && m.offset >= done.from && m.offset < done.to)) continue;
      emit({ e: 'rec', p: m.partition, o: m.offset, v: m.value?.toString() ?? '' });
      sleep(cfg.processDelayMs ?? 0);
      const range = done ? { from: Math.min(done.from, m.offset), to: Math.max(done.to, m.offset + 1) } : { from: m.offset, to: m.offset + 1 };
      processed.set(m.partition, range);
      next.set(m.partition, range.to);
    }
    if (next.size > 0) {
      const offsets = [...next].sort((a, b) => a[0] - b[0]);
      try {
        consumer.commitSync(offsets.map(([partition, offset]) => ({ topic: cfg.topic, partition, offset })));
        emit({ e: 'commit', offsets });
      } catch (e) {
        emit({ e: 'commitError', offsets, error: String((e as RdError).message ?? e) });
      }
    }
    setImmediate(loop);
  });
}

emit({ e: 'start', client: `node-rdkafka ${version} (librdkafka ${rd.librdkafkaVersion}, group.protocol=${cfg.protocol})`, pid: process.pid });
createInterface({ input: process.stdin })
  .on('line', (line) => { if (line.trim() === 'close') close(); })
  .on('close', close);
consumer.setDefaultConsumeTimeout(200);
consumer.connect({ timeout: 10_000 }, (err) => {
  if (err) {
    emit({ e: 'clientError', error: `connect: ${err.message}` });
    process.exit(2);
  }
  consumer.subscribe([cfg.topic]);
  loop();
});
