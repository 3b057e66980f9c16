/**
 * A KafkaJS idempotent producer writing a numbered stream for the exactly-once suites:
 *   node kafkajs-idempotent.js '<json config>'
 * Config: bootstrap, name, topic, partitions, prefix, count, pauseEvery?, pauseMs?.
 * `producer({ idempotent: true, maxInFlightRequests: 1 })`, acks -1; value i goes to partition
 * i % partitions, `pauseEvery` records per send. A send that fails (KafkaJS gave up retrying
 * while the broker was down) is sent again as it was: its sequence numbers were not used up,
 * so the broker must recognise a duplicate of an append it did. Events: "sent", "clientError"
 * per failed attempt, then "done" and exit.
 */
import { cfg, describe, emit, kafka, readCommands, started } from './kafkajs-io.js';

const topic = cfg.topic as string;
const partitions = cfg.partitions as number;
const count = cfg.count as number;
const pauseEvery = (cfg.pauseEvery as number | undefined) ?? 20;
const pauseMs = (cfg.pauseMs as number | undefined) ?? 10;
const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
let closing = false;

started();
readCommands(() => undefined, () => {
  closing = true;
});
await producer.connect();
for (let from = 0; from < count && !closing; from += pauseEvery) {
  const values = Array.from({ length: Math.min(pauseEvery, count - from) }, (_, i) => [(from + i) % partitions, `${cfg.prefix as string}-${from + i}`] as const);
  for (;;) {
    try {
      const result = await producer.send({ topic, acks: -1, messages: values.map(([partition, value]) => ({ partition, value })) });
      const base = new Map(result.map((r) => [r.partition, Number(r.baseOffset)]));
      const seen = new Map<number, number>();
      for (const [p, v] of values) {
        const index = seen.get(p) ?? 0;
        seen.set(p, index + 1);
        emit({ e: 'sent', p, o: base.get(p)! + index, v });
      }
      break;
    } catch (e) {
      emit({ e: 'clientError', error: `send ${values[0]![1]}..: ${JSON.stringify(describe(e))}` });
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  await new Promise((r) => setTimeout(r, pauseMs));
}
await producer.disconnect();
emit({ e: 'done' });
process.exit(0);
