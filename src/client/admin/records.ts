/** DeleteRecords: moves partitions' log start offset forward, on each partition's leader. */
import { ApiKey, type DeleteRecordsResponse } from '../../protocol/index.js';
import type { Cluster } from '../cluster.js';
import { KafkaResponseError, UnknownTopicError } from '../errors.js';
import { type TopicPartition, byTopic } from './types.js';

export interface DeletedRecords extends TopicPartition {
  /** The partition's new log start offset. */
  readonly lowWatermark: bigint;
}

/** `offset` -1n deletes up to the high watermark. */
export async function deleteRecords(
  cluster: Cluster, requests: ReadonlyArray<TopicPartition & { offset: bigint }>, options: { timeoutMs?: number } = {},
): Promise<DeletedRecords[]> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  return cluster.retry(async () => {
    const md = await cluster.metadataOnce([...new Set(requests.map((r) => r.topic))]);
    const byLeader = new Map<number, Array<TopicPartition & { offset: bigint }>>();
    for (const r of requests) {
      const leader = md.topics.get(r.topic)?.partitions[r.partition]?.leaderId;
      if (leader === undefined) throw new UnknownTopicError(r.topic, r.partition);
      byLeader.set(leader, [...(byLeader.get(leader) ?? []), r]);
    }
    const out: DeletedRecords[] = [];
    await Promise.all([...byLeader].map(async ([leader, list]) => {
      const conn = await cluster.connectionTo(leader);
      const res = await conn.send<DeleteRecordsResponse>(ApiKey.DeleteRecords, conn.versionFor(ApiKey.DeleteRecords), {
        topics: [...byTopic(list)].map(([name, ps]) => ({ name, partitions: ps.map((p) => ({ partitionIndex: p.partition, offset: p.offset })) })),
        timeoutMs,
      }, { timeoutMs: timeoutMs + 5_000 });
      for (const t of res.topics) {
        for (const p of t.partitions) {
          if (p.errorCode !== 0) throw new KafkaResponseError(p.errorCode, `DeleteRecords ${t.name}-${p.partitionIndex}`);
          out.push({ topic: t.name, partition: p.partitionIndex, lowWatermark: p.lowWatermark });
        }
      }
    }));
    return out;
  });
}
