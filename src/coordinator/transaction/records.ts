/**
 * TransactionMetadata ⇄ TransactionRecord (TransactionLogValue). Written as Kafka writes them:
 * no partitions (null) in Empty, previous/next producer ids and the last epoch not persisted
 * (they stay at their defaults), so a value written here is a version 0 value.
 */
import type { transactionRecords } from '../../protocol/index.js';
import { NO_PARTITIONS, NO_PRODUCER_EPOCH, type TransactionMetadata } from './metadata.js';
import { type TransactionRecord, TransactionState } from './shard-api.js';

export function transactionRecord(metadata: TransactionMetadata): TransactionRecord {
  const partitions = metadata.state === TransactionState.Empty
    ? null
    : [...metadata.partitions].map(([topic, partitionIds]) => ({ topic, partitionIds: [...partitionIds] }));
  return {
    type: 'TransactionLog',
    key: { transactionalId: metadata.transactionalId },
    value: {
      producerId: metadata.producerId,
      previousProducerId: -1n,
      nextProducerId: -1n,
      producerEpoch: metadata.producerEpoch,
      transactionTimeoutMs: metadata.txnTimeoutMs,
      transactionStatus: metadata.state,
      transactionPartitions: partitions,
      transactionLastUpdateTimestampMs: BigInt(metadata.txnLastUpdateTimestamp),
      transactionStartTimestampMs: BigInt(metadata.txnStartTimestamp),
      clientTransactionVersion: metadata.clientTransactionVersion,
    },
  };
}

/** The id expired: its tombstone. */
export function transactionTombstone(transactionalId: string): TransactionRecord {
  return { type: 'TransactionLog', key: { transactionalId }, value: null };
}

/** The metadata a persisted value describes (as Kafka loads it: partitions ignored in Empty). */
export function metadataFromValue(transactionalId: string, value: transactionRecords.TransactionLogValue): TransactionMetadata {
  const state = value.transactionStatus as TransactionState;
  const partitions = new Map<string, number[]>();
  if (state !== TransactionState.Empty) {
    for (const { topic, partitionIds } of value.transactionPartitions ?? []) {
      const ids = partitions.get(topic) ?? [];
      for (const p of partitionIds) if (!ids.includes(p)) ids.push(p);
      if (ids.length > 0) partitions.set(topic, ids);
    }
  }
  return {
    transactionalId,
    producerId: value.producerId,
    previousProducerId: value.previousProducerId,
    nextProducerId: value.nextProducerId,
    producerEpoch: value.producerEpoch,
    lastProducerEpoch: NO_PRODUCER_EPOCH,
    txnTimeoutMs: value.transactionTimeoutMs,
    state,
    partitions: partitions.size === 0 ? NO_PARTITIONS : partitions,
    txnStartTimestamp: Number(value.transactionStartTimestampMs),
    txnLastUpdateTimestamp: Number(value.transactionLastUpdateTimestampMs),
    clientTransactionVersion: value.clientTransactionVersion,
  };
}
