import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_TRANSACTION_COORDINATOR_CONFIG } from '../../coordinator/transaction/shard-api.js';
import { loadBrokerConfig } from '../single-node.js';
import { brokerSettings } from '../config/index.js';
import { transactionRuntimeConfig, transactionStateTopicSpec } from './config.js';

test('Kafka\'s defaults: the shard settings, and __transaction_state as TransactionStateManager creates it', () => {
  const config = transactionRuntimeConfig(loadBrokerConfig({}));
  assert.deepEqual(config.shard, DEFAULT_TRANSACTION_COORDINATOR_CONFIG);
  assert.equal(config.loadBufferSize, 5 * 1024 * 1024);
  assert.deepEqual(transactionStateTopicSpec(config), {
    name: '__transaction_state',
    numPartitions: 50,
    replicationFactor: 3,
    configs: [
      { name: 'unclean.leader.election.enable', value: 'false' },
      { name: 'compression.type', value: 'uncompressed' },
      { name: 'cleanup.policy', value: 'compact' },
      { name: 'min.insync.replicas', value: '2' },
      { name: 'segment.bytes', value: String(100 * 1024 * 1024) },
    ],
  });
});

test('every setting follows its broker config', () => {
  const config = loadBrokerConfig({
    overrides: [
      'transaction.max.timeout.ms=60000', 'transactional.id.expiration.ms=1000', 'transaction.abort.timed.out.transaction.cleanup.interval.ms=20',
      'transaction.remove.expired.transaction.cleanup.interval.ms=30', 'transaction.state.log.num.partitions=7', 'transaction.state.log.replication.factor=1',
      'transaction.state.log.min.isr=1', 'transaction.state.log.segment.bytes=4096', 'transaction.state.log.load.buffer.size=1024',
      'producer.id.expiration.ms=5000', 'producer.id.expiration.check.interval.ms=700',
    ],
  });
  const runtime = transactionRuntimeConfig(config);
  assert.deepEqual(runtime.shard, {
    transactionMaxTimeoutMs: 60_000, transactionalIdExpirationMs: 1000,
    abortTimedOutTransactionCleanupIntervalMs: 20, removeExpiredTransactionalIdCleanupIntervalMs: 30,
  });
  assert.deepEqual([runtime.numPartitions, runtime.replicationFactor, runtime.minIsr, runtime.segmentBytes, runtime.loadBufferSize], [7, 1, 1, 4096, 1024]);
  const settings = brokerSettings(config);
  assert.deepEqual([settings.producerIdExpirationMs, settings.producerIdExpirationCheckIntervalMs], [5000, 700]);
  assert.equal(brokerSettings(loadBrokerConfig({})).producerIdExpirationCheckIntervalMs, 600_000);
});
