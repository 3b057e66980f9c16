/**
 * A transaction driven by raw requests, as a transactional producer would send them:
 * FindCoordinator (key type 1), InitProducerId, AddPartitionsToTxn (v3, the client form),
 * Produce with a transactional batch, EndTxn. For the transaction admin and CLI suites, which
 * need a transaction in a known state without a client library in between.
 */
import {
  type AddPartitionsToTxnResponse, ApiKey, type EndTxnResponse, type InitProducerIdResponse, type ProduceResponse, encodeRecordBatchSync,
} from '../../src/protocol/index.js';
import { Cluster, type Connection, CoordinatorType, type TopicPartition, findCoordinator } from '../../src/client/index.js';
import { throwIfError } from '../../src/client/errors.js';

/** Single-node transaction settings, as a one-broker Kafka needs them. */
export const TXN_BROKER_CONFIG: Readonly<Record<string, string>> = {
  'transaction.state.log.replication.factor': '1',
  'transaction.state.log.min.isr': '1',
  'transaction.state.log.num.partitions': '3',
  'offsets.topic.num.partitions': '3',
};

export interface RawTransaction {
  readonly transactionalId: string;
  readonly producerId: bigint;
  readonly producerEpoch: number;
  /** Produces `count` transactional records to a partition already added. */
  produce(tp: TopicPartition, count: number, timestampMs: number): Promise<void>;
  /** EndTxn: commit (true) or abort (false). */
  end(committed: boolean): Promise<void>;
  close(): Promise<void>;
}

/** InitProducerId for `transactionalId`, then AddPartitionsToTxn for `partitions`: an open transaction with nothing written yet. */
export async function beginTransaction(bootstrap: string, transactionalId: string, partitions: readonly TopicPartition[], transactionTimeoutMs = 60_000): Promise<RawTransaction> {
  // Retriable answers (a coordinator loading, CONCURRENT_TRANSACTIONS) are tried again with backoff.
  const cluster = new Cluster({ bootstrapServers: bootstrap, retries: 20, retryBackoffMs: 50, retryBackoffMaxMs: 500 });
  // Looked up on every try (each call below runs inside cluster.retry), so a moved coordinator is found again.
  const coordinator = async (): Promise<Connection> => {
    const node = await findCoordinator(await cluster.anyConnection(), transactionalId, CoordinatorType.TRANSACTION);
    return cluster.connectionTo(node.nodeId);
  };
  const init = await cluster.retry(async () => {
    const conn = await coordinator();
    const r = await conn.send<InitProducerIdResponse>(ApiKey.InitProducerId, conn.versionFor(ApiKey.InitProducerId), {
      transactionalId, transactionTimeoutMs, producerId: -1n, producerEpoch: -1,
    });
    throwIfError(r.errorCode, 'InitProducerId');
    return r;
  });
  const { producerId, producerEpoch } = init;
  await cluster.retry(async () => {
    const conn = await coordinator();
    const r = await conn.send<AddPartitionsToTxnResponse>(ApiKey.AddPartitionsToTxn, Math.min(3, conn.versionFor(ApiKey.AddPartitionsToTxn)), {
      transactions: [],
      v3AndBelowTransactionalId: transactionalId,
      v3AndBelowProducerId: producerId,
      v3AndBelowProducerEpoch: producerEpoch,
      v3AndBelowTopics: [...new Set(partitions.map((p) => p.topic))].map((name) => ({
        name, partitions: partitions.filter((p) => p.topic === name).map((p) => p.partition),
      })),
    });
    for (const t of r.resultsByTopicV3AndBelow) for (const p of t.resultsByPartition) throwIfError(p.partitionErrorCode, `AddPartitionsToTxn ${t.name}-${p.partitionIndex}`);
  });
  const sequences = new Map<string, number>();
  return {
    transactionalId,
    producerId,
    producerEpoch,
    async produce(tp, count, timestampMs) {
      const key = `${tp.topic}-${tp.partition}`;
      const baseSequence = sequences.get(key) ?? 0;
      const records = Array.from({ length: count }, (_, i) => ({ timestamp: BigInt(timestampMs + i), key: null, value: Buffer.from(`${transactionalId}-${baseSequence + i}`) }));
      const batch = encodeRecordBatchSync({ records, isTransactional: true, producerId, producerEpoch, baseSequence });
      const md = await cluster.metadata([tp.topic]);
      const leader = md.topics.get(tp.topic)!.partitions[tp.partition]!.leaderId;
      const conn = await cluster.connectionTo(leader);
      const r = await conn.send<ProduceResponse>(ApiKey.Produce, conn.versionFor(ApiKey.Produce, 3), {
        transactionalId, acks: -1, timeoutMs: 30_000, topicData: [{ name: tp.topic, partitionData: [{ index: tp.partition, records: batch }] }],
      });
      for (const t of r.responses) for (const p of t.partitionResponses) throwIfError(p.errorCode, `Produce ${t.name}-${p.index}`);
      sequences.set(key, baseSequence + count);
    },
    async end(committed) {
      await cluster.retry(async () => {
        const conn = await coordinator();
        const r = await conn.send<EndTxnResponse>(ApiKey.EndTxn, conn.versionFor(ApiKey.EndTxn), { transactionalId, producerId, producerEpoch, committed });
        throwIfError(r.errorCode, 'EndTxn');
      });
    },
    close: () => cluster.close(),
  };
}
