/**
 * The admin's transaction calls against scripted brokers: which requests go where, at which
 * versions, what is retried and what is thrown.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ApiKey, type ApiVersionsResponse, DescribeProducersResponse, type DescribeProducersRequest, type DescribeTransactionsRequest, DescribeTransactionsResponse,
  ErrorCode, type FindCoordinatorRequest, FindCoordinatorResponse, type ListTransactionsRequest, ListTransactionsResponse, MetadataResponse,
  type MetadataRequest, ZERO_UUID,
} from '../../protocol/index.js';
import { Cluster } from '../cluster.js';
import { KafkaResponseError, UnknownTopicError, UnsupportedVersionError } from '../errors.js';
import { FakeBroker, type FakeRequest, fullApiVersions } from '../testing/fake-broker.js';
import { describeProducers } from './describe-producers.js';
import { describeTransactions, listTransactions } from './transactions.js';

interface FakeCluster {
  readonly cluster: Cluster;
  /** Requests of one API, with the node that got each. */
  requests(apiKey: number): { nodeId: number; request: FakeRequest }[];
  stop(): Promise<void>;
}

/**
 * Brokers 1..count on ephemeral ports. Each answers ApiVersions (with `apiVersions`) and Metadata
 * (every broker; topics from `leaders`, topic → leader of each partition, read at each request);
 * the rest goes to `handle` with the node id that got it.
 */
async function fakeCluster(
  count: number, handle: (nodeId: number, req: FakeRequest) => void,
  options: { leaders?: Map<string, number[]>; apiVersions?: ApiVersionsResponse } = {},
): Promise<FakeCluster> {
  const fakes: FakeBroker[] = [];
  const log: { nodeId: number; request: FakeRequest }[] = [];
  const leaders = options.leaders ?? new Map<string, number[]>();
  for (let nodeId = 1; nodeId <= count; nodeId++) {
    fakes.push(await FakeBroker.start((req) => {
      if (req.apiKey === ApiKey.ApiVersions) return req.respond(options.apiVersions ?? fullApiVersions());
      log.push({ nodeId, request: req });
      if (req.apiKey === ApiKey.Metadata) return req.respond(metadata(req.body as MetadataRequest));
      return handle(nodeId, req);
    }));
  }
  const metadata = (body: MetadataRequest): MetadataResponse => ({
    ...MetadataResponse.defaults(),
    controllerId: 1,
    brokers: fakes.map((f, i) => ({ nodeId: i + 1, host: '127.0.0.1', port: f.port, rack: null })),
    topics: (body.topics?.map((t) => t.name!) ?? [...leaders.keys()]).map((name) => ({
      errorCode: leaders.has(name) ? 0 : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
      name, topicId: ZERO_UUID, isInternal: false, topicAuthorizedOperations: 0,
      partitions: (leaders.get(name) ?? []).map((leaderId, partitionIndex) => ({
        errorCode: 0, partitionIndex, leaderId, leaderEpoch: 0, replicaNodes: [leaderId], isrNodes: [leaderId], offlineReplicas: [],
      })),
    })),
  });
  const cluster = new Cluster({ bootstrapServers: `127.0.0.1:${fakes[0]!.port}`, retryBackoffMs: 1, retries: 4 });
  return {
    cluster,
    requests: (apiKey) => log.filter((x) => x.request.apiKey === apiKey),
    async stop() {
      await cluster.close();
      await Promise.all(fakes.map((f) => f.stop()));
    },
  };
}

function withMaxVersion(apiKey: number, maxVersion: number): ApiVersionsResponse {
  const r = fullApiVersions();
  r.apiKeys = r.apiKeys.map((a) => (a.apiKey === apiKey ? { ...a, maxVersion } : a));
  return r;
}

const coordinator = (key: string, nodeId: number, port: number, errorCode = 0): FindCoordinatorResponse['coordinators'][number] =>
  ({ key, nodeId: errorCode === 0 ? nodeId : -1, host: '127.0.0.1', port, errorCode, errorMessage: null });

const txnState = (transactionalId: string, overrides: Partial<DescribeTransactionsResponse['transactionStates'][number]> = {}): DescribeTransactionsResponse['transactionStates'][number] => ({
  errorCode: 0, transactionalId, transactionState: 'Ongoing', transactionTimeoutMs: 60_000, transactionStartTimeMs: 1_700_000_000_000n,
  producerId: 7n, producerEpoch: 2, topics: [], ...overrides,
});

test('listTransactions asks every broker with the filters and merges the answers, sorted', async () => {
  const fc = await fakeCluster(2, (nodeId, req) => {
    if (req.apiKey !== ApiKey.ListTransactions) return;
    const states = nodeId === 1
      ? [{ transactionalId: 'tx-b', producerId: 11n, transactionState: 'Ongoing' }]
      : [{ transactionalId: 'tx-a', producerId: 20n, transactionState: 'Ongoing' }, { transactionalId: 'tx-c', producerId: 21n, transactionState: 'Ongoing' }];
    req.respond({ ...ListTransactionsResponse.defaults(), transactionStates: states });
  });
  try {
    const listed = await listTransactions(fc.cluster, { states: ['Ongoing'], producerIds: [11n, 20n, 21n] });
    assert.deepEqual(listed.map((t) => [t.transactionalId, t.coordinatorId, t.producerId, t.state]), [
      ['tx-a', 2, 20n, 'Ongoing'], ['tx-b', 1, 11n, 'Ongoing'], ['tx-c', 2, 21n, 'Ongoing'],
    ]);
    const sent = fc.requests(ApiKey.ListTransactions);
    assert.deepEqual(sent.map((x) => x.nodeId).sort(), [1, 2]);
    for (const { request } of sent) {
      const body = request.body as ListTransactionsRequest;
      assert.deepEqual(body.stateFilters, ['Ongoing']);
      assert.deepEqual(body.producerIdFilters, [11n, 20n, 21n]);
      assert.equal(body.durationFilter, -1n);
    }
  } finally {
    await fc.stop();
  }
});

test('listTransactions retries a loading coordinator and throws other errors', async () => {
  let loading = 2;
  const fc = await fakeCluster(1, (_, req) => {
    if (req.apiKey !== ApiKey.ListTransactions) return;
    const body = req.body as ListTransactionsRequest;
    const errorCode = body.stateFilters.includes('Dead') ? ErrorCode.CLUSTER_AUTHORIZATION_FAILED
      : loading-- > 0 ? ErrorCode.COORDINATOR_LOAD_IN_PROGRESS : 0;
    req.respond({ ...ListTransactionsResponse.defaults(), errorCode, transactionStates: errorCode ? [] : [{ transactionalId: 'x', producerId: 1n, transactionState: 'Empty' }] });
  });
  try {
    assert.deepEqual((await listTransactions(fc.cluster)).map((t) => t.transactionalId), ['x']);
    assert.equal(fc.requests(ApiKey.ListTransactions).length, 3);
    await assert.rejects(listTransactions(fc.cluster, { states: ['Dead'] }),
      (e: unknown) => e instanceof KafkaResponseError && e.errorName === 'CLUSTER_AUTHORIZATION_FAILED' && e.code === 'SAMSA_ERR_KAFKA');
    assert.equal(fc.requests(ApiKey.ListTransactions).length, 4, 'a non-retriable error is not retried');
  } finally {
    await fc.stop();
  }
});

test('the duration filter goes out in ListTransactions v1 and needs a broker that has it', async () => {
  const answer = (_: number, req: FakeRequest): void => {
    if (req.apiKey === ApiKey.ListTransactions) req.respond(ListTransactionsResponse.defaults());
  };
  const v1 = await fakeCluster(1, answer);
  try {
    assert.deepEqual(await listTransactions(v1.cluster, { durationFilterMs: 30_000 }), []);
    const [sent] = v1.requests(ApiKey.ListTransactions);
    assert.equal(sent!.request.apiVersion, 1);
    assert.equal((sent!.request.body as ListTransactionsRequest).durationFilter, 30_000n);
  } finally {
    await v1.stop();
  }
  const v0 = await fakeCluster(1, answer, { apiVersions: withMaxVersion(ApiKey.ListTransactions, 0) });
  try {
    assert.deepEqual(await listTransactions(v0.cluster), [], 'without the filter v0 is fine');
    assert.equal(v0.requests(ApiKey.ListTransactions)[0]!.request.apiVersion, 0);
    await assert.rejects(listTransactions(v0.cluster, { durationFilterMs: 1 }),
      (e: unknown) => e instanceof UnsupportedVersionError && e.code === 'SAMSA_ERR_UNSUPPORTED_VERSION');
    assert.equal(v0.requests(ApiKey.ListTransactions).length, 1, 'nothing is sent without v1');
  } finally {
    await v0.stop();
  }
});

test('describeTransactions finds coordinators in one batched FindCoordinator and asks each once', async () => {
  const ports: number[] = [];
  const fc = await fakeCluster(2, (nodeId, req) => {
    if (req.apiKey === ApiKey.FindCoordinator) {
      const body = req.body as FindCoordinatorRequest;
      return req.respond({ ...FindCoordinatorResponse.defaults(), coordinators: body.coordinatorKeys.map((k) => coordinator(k, k === 'pay' ? 2 : 1, ports[k === 'pay' ? 1 : 0]!)) });
    }
    if (req.apiKey !== ApiKey.DescribeTransactions) return;
    const body = req.body as DescribeTransactionsRequest;
    req.respond({
      ...DescribeTransactionsResponse.defaults(),
      transactionStates: body.transactionalIds.map((id) => (id === 'idle'
        ? txnState(id, { transactionState: 'Empty', transactionStartTimeMs: -1n, producerId: 9n })
        : txnState(id, { producerId: BigInt(nodeId), topics: [{ topic: 'b', partitions: [1, 0] }, { topic: 'a', partitions: [3] }] }))),
    });
  });
  try {
    for (const nodeId of [1, 2]) ports.push((await fc.cluster.metadata([])).brokers.find((b) => b.nodeId === nodeId)!.port);
    const [pay, idle, orders] = await describeTransactions(fc.cluster, ['pay', 'idle', 'orders', 'pay']);
    assert.equal(pay!.coordinatorId, 2);
    assert.equal(pay!.producerId, 2n);
    assert.deepEqual(pay!.topicPartitions, [{ topic: 'a', partition: 3 }, { topic: 'b', partition: 0 }, { topic: 'b', partition: 1 }]);
    assert.equal(pay!.transactionStartTimeMs, 1_700_000_000_000n);
    assert.deepEqual([idle!.transactionalId, idle!.coordinatorId, idle!.state, idle!.transactionStartTimeMs, idle!.producerId], ['idle', 1, 'Empty', null, 9n]);
    assert.equal(orders!.transactionalId, 'orders');
    assert.equal(orders!.producerEpoch, 2);
    assert.equal(orders!.transactionTimeoutMs, 60_000);

    const finds = fc.requests(ApiKey.FindCoordinator);
    assert.equal(finds.length, 1);
    assert.ok(finds[0]!.request.apiVersion >= 4);
    const find = finds[0]!.request.body as FindCoordinatorRequest;
    assert.equal(find.keyType, 1);
    assert.deepEqual(find.coordinatorKeys, ['pay', 'idle', 'orders']);
    const describes = fc.requests(ApiKey.DescribeTransactions).map((x) => [x.nodeId, (x.request.body as DescribeTransactionsRequest).transactionalIds]);
    assert.deepEqual(describes.sort(), [[1, ['idle', 'orders']], [2, ['pay']]]);
  } finally {
    await fc.stop();
  }
});

test('describeTransactions looks a moved coordinator up again, waits out loading, and keeps what it has', async () => {
  const answers = new Map<string, number[]>([['moved', [ErrorCode.NOT_COORDINATOR, 0]], ['loading', [ErrorCode.COORDINATOR_LOAD_IN_PROGRESS, 0]], ['steady', [0]]]);
  let findFails = 1;
  let port = 0;
  const fc = await fakeCluster(1, (_, req) => {
    if (req.apiKey === ApiKey.FindCoordinator) {
      const body = req.body as FindCoordinatorRequest;
      const errorCode = findFails-- > 0 ? ErrorCode.COORDINATOR_NOT_AVAILABLE : 0;
      return req.respond({ ...FindCoordinatorResponse.defaults(), coordinators: body.coordinatorKeys.map((k) => coordinator(k, 1, port, k === 'steady' ? 0 : errorCode)) });
    }
    if (req.apiKey !== ApiKey.DescribeTransactions) return;
    const body = req.body as DescribeTransactionsRequest;
    req.respond({ ...DescribeTransactionsResponse.defaults(), transactionStates: body.transactionalIds.map((id) => txnState(id, { errorCode: answers.get(id)!.shift()! })) });
  });
  try {
    port = (await fc.cluster.metadata([])).brokers[0]!.port;
    const described = await describeTransactions(fc.cluster, ['moved', 'loading', 'steady']);
    assert.deepEqual(described.map((d) => d.transactionalId), ['moved', 'loading', 'steady']);
    const asked = fc.requests(ApiKey.DescribeTransactions).map((x) => (x.request.body as DescribeTransactionsRequest).transactionalIds);
    assert.deepEqual(asked, [['steady'], ['moved', 'loading'], ['moved', 'loading']]);
    const looked = fc.requests(ApiKey.FindCoordinator).map((x) => (x.request.body as FindCoordinatorRequest).coordinatorKeys);
    assert.deepEqual(looked, [['moved', 'loading', 'steady'], ['moved', 'loading'], ['moved', 'loading']]);
  } finally {
    await fc.stop();
  }
});

test('describeTransactions: an unknown id is thrown at once; before FindCoordinator v4 each id is looked up alone', async () => {
  let port = 0;
  const fc = await fakeCluster(1, (_, req) => {
    if (req.apiKey === ApiKey.FindCoordinator) {
      return req.respond({ ...FindCoordinatorResponse.defaults(), nodeId: 1, host: '127.0.0.1', port });
    }
    if (req.apiKey !== ApiKey.DescribeTransactions) return;
    const body = req.body as DescribeTransactionsRequest;
    req.respond({
      ...DescribeTransactionsResponse.defaults(),
      transactionStates: body.transactionalIds.map((id) => txnState(id, { errorCode: id === 'ghost' ? ErrorCode.TRANSACTIONAL_ID_NOT_FOUND : 0 })),
    });
  }, { apiVersions: withMaxVersion(ApiKey.FindCoordinator, 3) });
  try {
    port = (await fc.cluster.metadata([])).brokers[0]!.port;
    const [a, b] = await describeTransactions(fc.cluster, ['a', 'b']);
    assert.deepEqual([a!.transactionalId, b!.transactionalId], ['a', 'b']);
    const finds = fc.requests(ApiKey.FindCoordinator).map((x) => [x.request.apiVersion, (x.request.body as FindCoordinatorRequest).key, (x.request.body as FindCoordinatorRequest).keyType]);
    assert.deepEqual(finds.sort(), [[3, 'a', 1], [3, 'b', 1]]);

    await assert.rejects(describeTransactions(fc.cluster, ['ghost']),
      (e: unknown) => e instanceof KafkaResponseError && e.errorName === 'TRANSACTIONAL_ID_NOT_FOUND' && /'ghost'/.test(e.message));
    assert.equal(fc.requests(ApiKey.DescribeTransactions).length, 2, 'not retried');
    assert.deepEqual(await describeTransactions(fc.cluster, []), []);
    assert.equal(fc.requests(ApiKey.FindCoordinator).length, 3, 'nothing more to look up');
  } finally {
    await fc.stop();
  }
});

const producer = (producerId: bigint, overrides: Partial<DescribeProducersResponse['topics'][number]['partitions'][number]['activeProducers'][number]> = {}):
  DescribeProducersResponse['topics'][number]['partitions'][number]['activeProducers'][number] =>
  ({ producerId, producerEpoch: 0, lastSequence: 4, lastTimestamp: 1_700_000_000_123n, coordinatorEpoch: -1, currentTxnStartOffset: -1n, ...overrides });

/** Answers DescribeProducers with one producer per partition (id = node * 100 + partition), or `errorFor` an error. */
function producersAnswer(nodeId: number, req: FakeRequest, errorFor: (topic: string, partition: number) => number = () => 0): void {
  const body = req.body as DescribeProducersRequest;
  req.respond({
    ...DescribeProducersResponse.defaults(),
    topics: body.topics.map((t) => ({
      name: t.name,
      partitions: t.partitionIndexes.map((partitionIndex) => {
        const errorCode = errorFor(t.name, partitionIndex);
        const activeProducers = errorCode !== 0 ? [] : [producer(BigInt(nodeId * 100 + partitionIndex), partitionIndex === 0 ? { coordinatorEpoch: 3, currentTxnStartOffset: 42n, producerEpoch: 5 } : {})];
        return { partitionIndex, errorCode, errorMessage: null, activeProducers };
      }),
    })),
  });
}

test('describeProducers asks each partition\'s leader, once per leader, and maps "none" values to null', async () => {
  const fc = await fakeCluster(2, (nodeId, req) => {
    if (req.apiKey === ApiKey.DescribeProducers) producersAnswer(nodeId, req);
  }, { leaders: new Map([['orders', [1, 2, 1]]]) });
  try {
    const states = await describeProducers(fc.cluster, [2, 0, 1, 0].map((partition) => ({ topic: 'orders', partition })));
    assert.deepEqual(states.map((s) => [s.partition, s.activeProducers.map((p) => p.producerId)]), [[0, [100n]], [1, [201n]], [2, [102n]]]);
    assert.deepEqual(states[0]!.activeProducers[0], {
      producerId: 100n, producerEpoch: 5, lastSequence: 4, lastTimestamp: 1_700_000_000_123n, coordinatorEpoch: 3, currentTransactionStartOffset: 42n,
    });
    assert.equal(states[1]!.activeProducers[0]!.coordinatorEpoch, null);
    assert.equal(states[1]!.activeProducers[0]!.currentTransactionStartOffset, null);
    const sent = fc.requests(ApiKey.DescribeProducers).map((x) => [x.nodeId, (x.request.body as DescribeProducersRequest).topics.map((t) => [t.name, [...t.partitionIndexes].sort()])]);
    assert.deepEqual(sent.sort(), [[1, [['orders', [0, 2]]]], [2, [['orders', [1]]]]]);
    assert.deepEqual(await describeProducers(fc.cluster, []), []);
    assert.equal(fc.requests(ApiKey.DescribeProducers).length, 2);
    await assert.rejects(describeProducers(fc.cluster, [{ topic: 'nope', partition: 0 }]), (e: unknown) => e instanceof UnknownTopicError);
    await assert.rejects(describeProducers(fc.cluster, [{ topic: 'orders', partition: 3 }]), (e: unknown) => e instanceof UnknownTopicError);
  } finally {
    await fc.stop();
  }
});

test('describeProducers follows a moved leader; with a chosen broker a missing replica is an error at once', async () => {
  const leaders = new Map([['orders', [1]]]);
  const fc = await fakeCluster(2, (nodeId, req) => {
    if (req.apiKey !== ApiKey.DescribeProducers) return;
    // Node 1 loses the leadership after its first answer.
    if (nodeId === 1) leaders.set('orders', [2]);
    producersAnswer(nodeId, req, () => (nodeId === 1 ? ErrorCode.NOT_LEADER_OR_FOLLOWER : 0));
  }, { leaders });
  try {
    const [state] = await describeProducers(fc.cluster, [{ topic: 'orders', partition: 0 }]);
    assert.deepEqual(state!.activeProducers.map((p) => p.producerId), [200n]);
    assert.deepEqual(fc.requests(ApiKey.DescribeProducers).map((x) => x.nodeId), [1, 2]);

    await assert.rejects(describeProducers(fc.cluster, [{ topic: 'orders', partition: 0 }], { brokerId: 1 }),
      (e: unknown) => e instanceof KafkaResponseError && e.errorName === 'NOT_LEADER_OR_FOLLOWER' && /on node 1/.test(e.message));
    assert.deepEqual(fc.requests(ApiKey.DescribeProducers).map((x) => x.nodeId), [1, 2, 1], 'asked once, not retried');
    const [onTwo] = await describeProducers(fc.cluster, [{ topic: 'orders', partition: 0 }], { brokerId: 2 });
    assert.deepEqual(onTwo!.activeProducers.map((p) => p.producerId), [200n]);
  } finally {
    await fc.stop();
  }
});
