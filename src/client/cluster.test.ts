import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ApiKey, ConsumerGroupDescribeResponse, DescribeGroupsResponse, ErrorCode, FindCoordinatorResponse, MetadataResponse,
} from '../protocol/index.js';
import { Cluster, parseBootstrapServers } from './cluster.js';
import { describeGroups } from './admin/groups.js';
import { FakeBroker, answeringApiVersions } from './testing/fake-broker.js';

test('bootstrap lists parse host:port pairs, IPv6 in brackets, and reject the rest', () => {
  assert.deepEqual(parseBootstrapServers(' a:1, [::1]:9092 '), [{ host: 'a', port: 1 }, { host: '::1', port: 9092 }]);
  assert.throws(() => parseBootstrapServers('nohost'), { code: 'SAMSA_ERR_CONNECTION' });
  assert.throws(() => parseBootstrapServers('a:70000'), /not a host:port/);
  assert.throws(() => parseBootstrapServers(''), /no bootstrap servers/);
});

test('a coordinator that moved is looked up again; a classic group falls back from ConsumerGroupDescribe', async () => {
  let notCoordinatorLeft = 1;
  const fake: FakeBroker = await FakeBroker.start(answeringApiVersions((req) => {
    const self = { nodeId: 1, host: '127.0.0.1', port: fake.port };
    switch (req.apiKey) {
      case ApiKey.Metadata:
        return req.respond({ ...MetadataResponse.defaults(), brokers: [{ ...self, rack: null }], controllerId: 1 });
      case ApiKey.FindCoordinator:
        return req.respond({ ...FindCoordinatorResponse.defaults(), coordinators: [{ key: 'g', ...self, errorCode: 0, errorMessage: null }] });
      case ApiKey.ConsumerGroupDescribe:
        return req.respond({
          ...ConsumerGroupDescribeResponse.defaults(),
          groups: [{ groupId: 'g', errorCode: ErrorCode.GROUP_ID_NOT_FOUND, errorMessage: 'classic', groupState: '', groupEpoch: 0, assignmentEpoch: 0, assignorName: '', members: [], authorizedOperations: 0 }],
        });
      case ApiKey.DescribeGroups: {
        const errorCode = notCoordinatorLeft-- > 0 ? ErrorCode.NOT_COORDINATOR : 0;
        return req.respond({
          ...DescribeGroupsResponse.defaults(),
          groups: [{ errorCode, groupId: 'g', groupState: 'Empty', protocolType: 'consumer', protocolData: '', members: [], authorizedOperations: 0 }],
        });
      }
    }
  }));
  const cluster = new Cluster({ bootstrapServers: `127.0.0.1:${fake.port}`, retryBackoffMs: 1 });
  const [g] = await describeGroups(cluster, ['g']);
  assert.equal(g!.state, 'Empty');
  assert.equal(g!.type, 'classic');
  assert.equal(fake.requests.filter((r) => r.apiKey === ApiKey.FindCoordinator).length, 2);
  assert.equal(fake.requests.filter((r) => r.apiKey === ApiKey.DescribeGroups).length, 2);
  await cluster.close();
  await fake.stop();
});
