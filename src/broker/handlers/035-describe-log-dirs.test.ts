import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { DescribeLogDirsRequest, DescribeLogDirsResponse } from '../../protocol/index.js';
import type { BrokerServices } from '../services.js';
import { silentLogger } from '../logger.js';
import { describeLogDirsHandler } from './035-describe-log-dirs.js';
import type { HandlerContext } from './api-handler.js';

interface FakeLog {
  topicPartition: { topic: string; partition: number };
  dir: string;
  size: number;
  highWatermark: bigint;
  logEndOffset: bigint;
}

function fakeServices(logDirs: string[], offline: string[], logs: FakeLog[], imageTopics: [string, number][]): BrokerServices {
  const topicsByName = new Map<string, { partitions: Map<number, { replicas: number[] }> }>();
  for (const [topic, partition] of imageTopics) {
    const t = topicsByName.get(topic) ?? { partitions: new Map() };
    t.partitions.set(partition, { replicas: [1] });
    topicsByName.set(topic, t);
  }
  return {
    nodeId: 1,
    logger: silentLogger,
    settings: { logDirs },
    metadata: { image: { topicsByName } },
    replicas: { logManager: { allLogs: () => logs, offlineLogDirs: offline } },
  } as unknown as BrokerServices;
}

async function describe(services: BrokerServices, body: DescribeLogDirsRequest): Promise<DescribeLogDirsResponse> {
  const ctx = { body, services, apiVersion: 4, request: undefined } as unknown as HandlerContext<DescribeLogDirsRequest>;
  return await describeLogDirsHandler.handle(ctx) as DescribeLogDirsResponse;
}

test('offline dirs answer KAFKA_STORAGE_ERROR; relative dirs are made absolute; stray logs have an unknown lag', async () => {
  const root = await mkdtemp(join(tmpdir(), 'samsa-describe-log-dirs-'));
  try {
    const [a, b, gone] = [join(root, 'a'), join(root, 'b'), join(root, 'gone')];
    const log = (topic: string, partition: number, dir: string, size: number): FakeLog =>
      ({ topicPartition: { topic, partition }, dir: join(dir, `${topic}-${partition}`), size, highWatermark: 5n, logEndOffset: 7n });
    const logs = [log('t', 1, a, 300), log('t', 0, a, 200), log('s', 0, a, 10), log('stray', 0, a, 1), log('t', 2, b, 50)];
    const services = fakeServices([relative(process.cwd(), a), b, a, gone], [b], logs, [['t', 0], ['t', 1], ['t', 2], ['s', 0]]);
    await mkdir(a); // b is offline, gone does not exist (statfs fails: Kafka's IOException)
    const r = await describe(services, { topics: null });
    assert.equal(r.errorCode, 0);
    assert.deepEqual(r.results.map((d) => [d.logDir, d.errorCode]), [[a, 0], [b, 56], [gone, -1]], 'each dir once, in order');
    const [da, db, dg] = r.results;
    assert.deepEqual(da!.topics.map((t) => [t.name, t.partitions.map((p) => [p.partitionIndex, p.partitionSize, p.offsetLag, p.isFutureKey])]), [
      ['s', [[0, 10n, 0n, false]]],
      ['stray', [[0, 1n, -1n, false]]],
      ['t', [[0, 200n, 0n, false], [1, 300n, 0n, false]]],
    ]);
    assert.ok(da!.totalBytes > 0n);
    for (const d of [db!, dg!]) assert.deepEqual([d.topics, d.totalBytes, d.usableBytes], [[], -1n, -1n]);

    const filtered = await describe(services, { topics: [{ topic: 't', partitions: [1, 2] }, { topic: 's', partitions: [] }] });
    assert.deepEqual(filtered.results[0]!.topics.map((t) => [t.name, t.partitions.map((p) => p.partitionIndex)]), [['t', [1]]]);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
