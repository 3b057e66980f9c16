/**
 * One client in its own process for the clients bench suite:
 *   node worker.js <samsa|kafkajs|platformatic> <produce|consume|latency> <bootstrap> <topic> <count> <size> [rate]
 * Prints one JSON line: { records, seconds } (produce, consume) or { count, p50, p99, p999 } in ms (latency).
 * Every client runs with acks=all and idempotence off (the others' default), batching as it does
 * by default; how each is driven is in bench/suites/clients.ts's notes.
 */
import kafkajs from 'kafkajs';
import { Consumer as PltConsumer, Producer as PltProducer } from '@platformatic/kafka';
import { Consumer, Producer } from '../../src/client/index.js';

type ClientName = 'samsa' | 'kafkajs' | 'platformatic';
const [clientArg, mode, bootstrap, topic, countArg, sizeArg, rateArg] = process.argv.slice(2);
const client = clientArg as ClientName;
const count = Number(countArg);
const size = Number(sizeArg);
const PARTITIONS = 6;
const WINDOW = 20_000;
const CHUNK = 1000;

function value(i: number): Buffer {
  const b = Buffer.alloc(size, 97 + (i % 26));
  return b;
}

async function produceSamsa(): Promise<number> {
  const p = new Producer({ bootstrapServers: bootstrap!, acks: 'all', enableIdempotence: false, lingerMs: 5, batchSize: 1_000_000 });
  const v = value(0);
  const records = Array.from({ length: CHUNK }, () => ({ topic: topic!, value: v }));
  await p.send({ topic: topic!, value: v }); // connected, with metadata, before the clock starts
  const t0 = performance.now();
  let inflight: Promise<unknown>[] = [];
  for (let i = 0; i < count; i += CHUNK) {
    inflight.push(p.sendBatch(i + CHUNK <= count ? records : records.slice(0, count - i)));
    if (inflight.length >= WINDOW / CHUNK) {
      await Promise.all(inflight);
      inflight = [];
    }
  }
  await Promise.all(inflight);
  const seconds = (performance.now() - t0) / 1000;
  await p.close();
  return seconds;
}

async function produceKafkajs(): Promise<number> {
  const kafka = new kafkajs.Kafka({ clientId: 'bench', brokers: [bootstrap!], logLevel: kafkajs.logLevel.NOTHING });
  const p = kafka.producer({ idempotent: false });
  await p.connect();
  const v = value(0);
  const messages = Array.from({ length: CHUNK }, () => ({ value: v }));
  await p.send({ topic: topic!, acks: -1, messages: [{ value: v }] });
  const t0 = performance.now();
  let inflight: Promise<unknown>[] = [];
  for (let i = 0; i < count; i += CHUNK) {
    inflight.push(p.send({ topic: topic!, acks: -1, messages: i + CHUNK <= count ? messages : messages.slice(0, count - i) }));
    if (inflight.length >= WINDOW / CHUNK) {
      await Promise.all(inflight);
      inflight = [];
    }
  }
  await Promise.all(inflight);
  const seconds = (performance.now() - t0) / 1000;
  await p.disconnect();
  return seconds;
}

async function producePlatformatic(): Promise<number> {
  const p = new PltProducer({ clientId: 'bench', bootstrapBrokers: [bootstrap!], acks: -1, idempotent: false, autocreateTopics: true });
  const v = value(0);
  const messages = Array.from({ length: CHUNK }, () => ({ topic: topic!, value: v }));
  await p.send({ messages: [{ topic: topic!, value: v }] });
  const t0 = performance.now();
  let inflight: Promise<unknown>[] = [];
  for (let i = 0; i < count; i += CHUNK) {
    inflight.push(p.send({ messages: i + CHUNK <= count ? messages : messages.slice(0, count - i) }));
    if (inflight.length >= WINDOW / CHUNK) {
      await Promise.all(inflight);
      inflight = [];
    }
  }
  await Promise.all(inflight);
  const seconds = (performance.now() - t0) / 1000;
  await p.close();
  return seconds;
}

async function consumeSamsa(): Promise<number> {
  const c = new Consumer({ bootstrapServers: bootstrap!, autoOffsetReset: 'earliest', maxPollRecords: 10_000 });
  c.assign(Array.from({ length: PARTITIONS }, (_, partition) => ({ topic: topic!, partition })));
  // As for the other two: the clock starts at the first records (connecting and offsets excluded).
  let t0 = 0;
  let n = 0;
  for await (const { records } of c) {
    if (t0 === 0 && records.length > 0) t0 = performance.now();
    n += records.length;
    if (n >= count) break;
  }
  const seconds = (performance.now() - t0) / 1000;
  await c.close();
  return seconds;
}

async function consumeKafkajs(): Promise<number> {
  const kafka = new kafkajs.Kafka({ clientId: 'bench', brokers: [bootstrap!], logLevel: kafkajs.logLevel.NOTHING });
  const c = kafka.consumer({ groupId: `bench-${process.pid}-${Date.now()}`, maxBytesPerPartition: 1_048_576, maxWaitTimeInMs: 100 });
  await c.connect();
  await c.subscribe({ topics: [topic!], fromBeginning: true });
  let n = 0;
  let t0 = 0;
  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => { resolveDone = resolve; });
  await c.run({
    autoCommit: false,
    eachBatchAutoResolve: true,
    eachBatch: async ({ batch }) => {
      if (t0 === 0) t0 = performance.now();
      n += batch.messages.length;
      if (n >= count) resolveDone();
    },
  });
  const start = performance.now();
  await done;
  const seconds = (performance.now() - (t0 || start)) / 1000;
  await c.disconnect();
  return seconds;
}

async function consumePlatformatic(): Promise<number> {
  const c = new PltConsumer({ clientId: 'bench', bootstrapBrokers: [bootstrap!], groupId: `bench-${process.pid}-${Date.now()}`, maxWaitTime: 100 });
  const stream = await c.consume({ topics: [topic!], mode: 'earliest', autocommit: false });
  let n = 0;
  let t0 = 0;
  await new Promise<void>((resolve) => {
    stream.on('data', () => {
      if (t0 === 0) t0 = performance.now();
      if (++n === count) resolve();
    });
  });
  const seconds = (performance.now() - t0) / 1000;
  await stream.close();
  await c.close();
  return seconds;
}

/** A producer at a fixed rate and a consumer of the same client; latency from each record's scheduled send time. */
async function latency(): Promise<number[]> {
  const rate = Number(rateArg);
  const latencies: number[] = [];
  const scheduled = new Map<number, number>();
  let onRecord!: (i: number) => void;
  const received = new Promise<void>((resolve) => {
    onRecord = (i) => {
      const at = scheduled.get(i);
      if (at !== undefined) latencies.push(performance.now() - at);
      if (latencies.length >= count) resolve();
    };
  });
  const parse = (b: Buffer | null): number => Number(b!.subarray(0, 12).toString().trim());
  const payload = (i: number): Buffer => {
    const b = Buffer.alloc(Math.max(size, 12), 32);
    b.write(String(i).padEnd(12, ' '));
    return b;
  };
  let stopConsumer: () => Promise<void>;
  let send: (i: number) => void;
  let stopProducer: () => Promise<void>;
  if (client === 'samsa') {
    const c = new Consumer({ bootstrapServers: bootstrap!, autoOffsetReset: 'latest', fetchMaxWaitMs: 100 });
    c.assign(Array.from({ length: PARTITIONS }, (_, partition) => ({ topic: topic!, partition })));
    for (let p = 0; p < PARTITIONS; p++) await c.position({ topic: topic!, partition: p });
    let running = true;
    const loop = (async () => { while (running) for (const r of await c.poll(100)) onRecord(parse(r.value)); })();
    stopConsumer = async () => { running = false; await loop; await c.close(); };
    const p = new Producer({ bootstrapServers: bootstrap!, acks: 'all', enableIdempotence: false, lingerMs: 0 });
    send = (i) => void p.send({ topic: topic!, value: payload(i) });
    stopProducer = () => p.close();
  } else if (client === 'kafkajs') {
    const kafka = new kafkajs.Kafka({ clientId: 'bench', brokers: [bootstrap!], logLevel: kafkajs.logLevel.NOTHING });
    const c = kafka.consumer({ groupId: `lat-${process.pid}`, maxWaitTimeInMs: 100 });
    await c.connect();
    await c.subscribe({ topics: [topic!], fromBeginning: false });
    let joined!: () => void;
    const isJoined = new Promise<void>((resolve) => { joined = resolve; });
    c.on(c.events.GROUP_JOIN, () => joined());
    await c.run({ autoCommit: false, eachMessage: async ({ message }) => onRecord(parse(message.value)) });
    await isJoined;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    stopConsumer = () => c.disconnect();
    const p = kafka.producer({ idempotent: false });
    await p.connect();
    send = (i) => void p.send({ topic: topic!, acks: -1, messages: [{ value: payload(i) }] });
    stopProducer = () => p.disconnect();
  } else {
    const c = new PltConsumer({ clientId: 'bench', bootstrapBrokers: [bootstrap!], groupId: `lat-${process.pid}`, maxWaitTime: 100 });
    const stream = await c.consume({ topics: [topic!], mode: 'latest', autocommit: false });
    stream.on('data', (m: { value: Buffer }) => onRecord(parse(m.value)));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    stopConsumer = async () => { await stream.close(); await c.close(); };
    const p = new PltProducer({ clientId: 'bench', bootstrapBrokers: [bootstrap!], acks: -1, idempotent: false });
    send = (i) => void p.send({ messages: [{ topic: topic!, value: payload(i) }] });
    stopProducer = () => p.close();
  }
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    const due = t0 + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    // From when it was due (a late send counts against the client), or from when it was sent if
    // the timer woke up to a millisecond early.
    scheduled.set(i, Math.min(due, performance.now()));
    send(i);
  }
  await Promise.race([received, new Promise((resolve) => setTimeout(resolve, 10_000))]);
  await stopProducer();
  await stopConsumer();
  return latencies;
}

async function main(): Promise<void> {
  if (mode === 'latency') {
    // Percentiles here: the raw latencies of a long run are more than the parent reads of stdout.
    const sorted = (await latency()).sort((a, b) => a - b);
    const at = (q: number): number => (sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!);
    console.log(JSON.stringify({ count: sorted.length, p50: at(0.5), p99: at(0.99), p999: at(0.999) }));
    return;
  }
  const runners: Record<ClientName, Record<'produce' | 'consume', () => Promise<number>>> = {
    samsa: { produce: produceSamsa, consume: consumeSamsa },
    kafkajs: { produce: produceKafkajs, consume: consumeKafkajs },
    platformatic: { produce: producePlatformatic, consume: consumePlatformatic },
  };
  const seconds = await runners[client][mode as 'produce' | 'consume']();
  console.log(JSON.stringify({ records: count, seconds }));
}

await main();
process.exit(0);
