/**
 * Consumer group members as separate processes, one of them killed (SIGKILL) mid-stream: the
 * survivors take over its partitions once the session times out, every record is consumed at
 * least once, and the group's committed offsets reach the end of every partition.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startBroker, type TestBroker } from '../../src/testkit/index.js';
import { Admin, Producer } from '../../src/client/index.js';

const WORKER = fileURLToPath(new URL('./workers/group-member.js', import.meta.url));
let broker: TestBroker;
let admin: Admin;

before(async () => {
  broker = await startBroker({
    inMemory: true,
    config: {
      'group.initial.rebalance.delay.ms': '0', 'offsets.topic.num.partitions': '3',
      // KIP-848 sessions are the broker's to set: 6 s, as the classic members ask for.
      'group.consumer.session.timeout.ms': '6000', 'group.consumer.min.session.timeout.ms': '6000',
    },
  });
  admin = new Admin({ bootstrapServers: broker.bootstrap });
});

after(async () => {
  await admin.close();
  await broker.stop();
});

interface Member {
  child: ChildProcess;
  seen: Array<[number, number]>;
  assigned: number;
  /** Every line but the records, and the exit, for the failure message. */
  events: string[];
}

/** Per member: its events and the last offset it read of each partition. */
function summary(members: Member[]): string {
  return members.map((m, i) => {
    const last = new Map<number, number>();
    for (const [p, o] of m.seen) last.set(p, Math.max(last.get(p) ?? -1, o));
    const lastRead = [...last].sort((a, b) => a[0] - b[0]).map(([p, o]) => `${p}:${o}`).join(' ');
    return `member ${i}: last read ${lastRead}\n  ${m.events.slice(-30).join('\n  ')}`;
  }).join('\n');
}

function member(group: string, topic: string, protocol: string): Member {
  const child = spawn(process.execPath, [WORKER, broker.bootstrap, group, topic, protocol], { stdio: ['ignore', 'pipe', 'pipe'] });
  const m: Member = { child, seen: [], assigned: 0, events: [] };
  child.on('exit', (code, signal) => m.events.push(`exit ${code ?? signal}`));
  let buf = '';
  child.stdout!.on('data', (c: Buffer) => {
    buf += c.toString();
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      const msg = JSON.parse(line) as { records?: Array<[number, number]>; assigned?: number[] };
      if (msg.records) m.seen.push(...msg.records);
      else m.events.push(line);
      if (msg.assigned) m.assigned += msg.assigned.length;
    }
  });
  child.stderr!.resume();
  return m;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

for (const protocol of ['classic', 'consumer']) {
  test(`${protocol} protocol: three member processes, one SIGKILLed mid-stream; nothing is skipped`, async () => {
    const topic = `kill-${protocol}`;
    const group = `kill-group-${protocol}`;
    await admin.createTopics([{ name: topic, numPartitions: 6 }]);
    const producer = new Producer({ bootstrapServers: broker.bootstrap });
    const perPartition = 400;
    await Promise.all(Array.from({ length: 6 * perPartition }, (_, i) => producer.send({ topic, partition: i % 6, value: String(i) })));
    const members = [member(group, topic, protocol), member(group, topic, protocol), member(group, topic, protocol)];
    try {
      // Wait until all three read something, then kill one while it works.
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline && members.some((m) => m.seen.length === 0)) await sleep(50);
      assert.ok(members.every((m) => m.seen.length > 0), 'every member got partitions and read');
      members[1]!.child.kill('SIGKILL');
      // More data after the kill.
      await Promise.all(Array.from({ length: 6 * 100 }, (_, i) => producer.send({ topic, partition: i % 6, value: `late-${i}` })));
      const end = perPartition + 100;
      const wanted = Array.from({ length: 6 }, (_, partition) => ({ topic, partition }));
      const deadline2 = Date.now() + 40_000;
      let committed: Array<bigint | null> = [];
      while (Date.now() < deadline2) {
        committed = (await admin.fetchOffsets(group, wanted)).map((c) => c.offset);
        if (committed.length === 6 && committed.every((o) => o === BigInt(end))) break;
        await sleep(200);
      }
      assert.deepEqual(committed, Array(6).fill(BigInt(end)), `the survivors committed every partition to its end\n${summary(members)}`);
      const all = new Set(members.flatMap((m) => m.seen.map(([p, o]) => `${p}:${o}`)));
      for (let p = 0; p < 6; p++) for (let o = 0; o < end; o++) assert.ok(all.has(`${p}:${o}`), `record ${p}:${o} was consumed`);
      assert.ok(members[0]!.assigned + members[2]!.assigned > 4, 'the survivors took over partitions');
    } finally {
      for (const m of members) m.child.kill('SIGKILL');
      await producer.close();
    }
  });
}
