import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type BrokerRegistrationRequest, ErrorCode } from '../protocol/index.js';
import { PRODUCER_ID_BLOCK_SIZE } from './producer-ids.js';
import { applyRecords, CLUSTER_ID, imageWithBrokers, newController } from './testing/fixtures.js';

const controller = newController();

function registration(fields: Partial<BrokerRegistrationRequest> = {}): BrokerRegistrationRequest {
  return {
    brokerId: 5,
    clusterId: CLUSTER_ID,
    incarnationId: 'AAAAAAAAAAAAAAAAAAAABQ',
    listeners: [{ name: 'PLAINTEXT', host: 'h', port: 9092, securityProtocol: 0 }],
    features: [{ name: 'metadata.version', minSupportedVersion: 1, maxSupportedVersion: 14 }],
    rack: 'r1',
    isMigratingZkBroker: false,
    logDirs: [],
    previousBrokerEpoch: -1n,
    ...fields,
  };
}

test('a broker registers fenced with its endpoints, then is unfenced', () => {
  const image = imageWithBrokers([]);
  const registered = controller.registerBroker(image, registration(), 42n);
  assert.deepEqual(registered.result, { throttleTimeMs: 0, errorCode: 0, brokerEpoch: 42n });
  assert.equal(registered.records[0]!.type, 'RegisterBrokerRecord');
  assert.equal(registered.records[0]!.version, 2);
  const fenced = applyRecords(image, registered.records);
  const broker = fenced.brokers.get(5)!;
  assert.deepEqual([broker.fenced, broker.brokerEpoch, broker.rack, broker.endpoints[0]!.port], [true, 42n, 'r1', 9092]);
  assert.deepEqual(controller.unfenceBroker(fenced, 5, 41n).result.code, ErrorCode.STALE_BROKER_EPOCH);
  const unfenced = applyRecords(fenced, controller.unfenceBroker(fenced, 5, 42n).records);
  assert.equal(unfenced.brokers.get(5)!.fenced, false);
  assert.deepEqual(controller.unfenceBroker(unfenced, 5, 42n).records, []);
});

test('another cluster id or an unsupported metadata.version is refused', () => {
  const image = imageWithBrokers([]);
  assert.equal(controller.registerBroker(image, registration({ clusterId: 'other' }), 1n).result.errorCode, ErrorCode.INCONSISTENT_CLUSTER_ID);
  const old = registration({ features: [{ name: 'metadata.version', minSupportedVersion: 1, maxSupportedVersion: 7 }] });
  assert.equal(controller.registerBroker(image, old, 1n).result.errorCode, ErrorCode.UNSUPPORTED_VERSION);
});

test('producer id blocks follow one another and need the current broker epoch', () => {
  let image = imageWithBrokers([1]);
  const starts: bigint[] = [];
  for (let i = 0; i < 3; i++) {
    const { records, result } = controller.allocateProducerIds(image, { brokerId: 1, brokerEpoch: 1n });
    assert.equal(result.errorCode, 0);
    assert.equal(result.producerIdLen, PRODUCER_ID_BLOCK_SIZE);
    starts.push(result.producerIdStart);
    image = applyRecords(image, records);
  }
  assert.deepEqual(starts, [0n, 1000n, 2000n]);
  assert.equal(image.nextProducerId, 3000n);
  assert.equal(controller.allocateProducerIds(image, { brokerId: 1, brokerEpoch: 9n }).result.errorCode, ErrorCode.STALE_BROKER_EPOCH);
  assert.equal(controller.allocateProducerIds(image, { brokerId: 2, brokerEpoch: 1n }).result.errorCode, ErrorCode.STALE_BROKER_EPOCH);
});
