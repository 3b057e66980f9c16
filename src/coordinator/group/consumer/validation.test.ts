import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode, type ConsumerGroupHeartbeatRequest } from '../../../protocol/index.js';
import type { RequestContext } from '../shard-api.js';
import { CLIENT, Harness, heartbeatRequest, joinRequest, topicIdOf } from './testing/harness.js';

const V0: RequestContext = { ...CLIENT, apiVersion: 0 };

function expectError(h: Harness, req: ConsumerGroupHeartbeatRequest, code: number, message: string | RegExp, rc: RequestContext = CLIENT): void {
  const before = h.log.length;
  const res = h.heartbeat(req, rc);
  assert.equal(res.errorCode, code, `${res.errorMessage}`);
  if (typeof message === 'string') assert.equal(res.errorMessage, message);
  else assert.match(res.errorMessage ?? '', message);
  assert.equal(res.memberId, null);
  assert.equal(res.assignment, null);
  assert.equal(h.log.length, before, 'a failed heartbeat writes nothing');
}

test('field checks answer INVALID_REQUEST with Kafka\'s messages', () => {
  const h = new Harness({ topics: { t: 1 } });
  const bad = ErrorCode.INVALID_REQUEST;
  expectError(h, joinRequest('', ['t']), bad, "MemberId can't be empty.");
  expectError(h, joinRequest('  ', ['t']), bad, "MemberId can't be empty.");
  expectError(h, heartbeatRequest({ memberId: '', memberEpoch: 3 }), bad, "MemberId can't be empty.", V0);
  expectError(h, heartbeatRequest({ memberId: '', memberEpoch: -1 }), bad, "MemberId can't be empty.", V0);
  expectError(h, joinRequest('m', ['t'], { groupId: ' ' }), bad, "GroupId can't be empty.");
  expectError(h, joinRequest('m', ['t'], { instanceId: '' }), bad, "InstanceId can't be empty.");
  expectError(h, joinRequest('m', ['t'], { rackId: '' }), bad, "RackId can't be empty.");
  expectError(h, joinRequest('m', ['t'], { rebalanceTimeoutMs: -1 }), bad, 'RebalanceTimeoutMs must be provided in first request.');
  expectError(h, joinRequest('m', ['t'], { topicPartitions: null }), bad, 'TopicPartitions must be empty when (re-)joining.');
  expectError(h, joinRequest('m', ['t'], { topicPartitions: [{ topicId: topicIdOf('t'), partitions: [0] }] }), bad,
    'TopicPartitions must be empty when (re-)joining.');
  expectError(h, joinRequest('m', []), bad, 'SubscribedTopicNames or SubscribedTopicRegex must be set in first request.');
  expectError(h, joinRequest('m', [], { subscribedTopicNames: null, subscribedTopicRegex: '' }), bad,
    'SubscribedTopicNames or SubscribedTopicRegex must be set in first request.');
  expectError(h, heartbeatRequest({ memberId: 'm', memberEpoch: -2 }), bad, "InstanceId can't be null.");
  expectError(h, heartbeatRequest({ memberId: 'm', memberEpoch: -3 }), bad, 'MemberEpoch is invalid.');
});

test('v0 lets the coordinator pick the member id on join only', () => {
  const h = new Harness({ topics: { t: 1 } });
  assert.equal(h.heartbeat(joinRequest('', ['t']), V0).errorCode, 0);
  assert.equal(h.heartbeat(joinRequest('chosen-by-client', ['t']), V0).memberId, 'chosen-by-client');
});

test('a heartbeat for an unknown group, a classic group, or an unknown member', () => {
  const h = new Harness({ topics: { t: 1 }, classicGroups: ['classic'] });
  expectError(h, heartbeatRequest({ groupId: 'nope', memberId: 'm', memberEpoch: 1 }), ErrorCode.GROUP_ID_NOT_FOUND, 'Consumer group nope not found.');
  expectError(h, heartbeatRequest({ groupId: 'nope', memberId: 'm', memberEpoch: -1 }), ErrorCode.GROUP_ID_NOT_FOUND, 'Group nope not found.');
  expectError(h, joinRequest('m', ['t'], { groupId: 'classic' }), ErrorCode.GROUP_ID_NOT_FOUND, 'Group classic is not a consumer group');
  h.heartbeat(joinRequest('m', ['t']));
  expectError(h, heartbeatRequest({ memberId: 'x', memberEpoch: 1 }), ErrorCode.UNKNOWN_MEMBER_ID, 'Member x is not a member of group g.');
  expectError(h, heartbeatRequest({ memberId: 'x', memberEpoch: 1, instanceId: 'i' }), ErrorCode.UNKNOWN_MEMBER_ID, 'Instance id i is unknown.');
});

test('group.consumer.max.size turns new members away but not existing ones', () => {
  const h = new Harness({ topics: { t: 2 }, config: { consumerGroupMaxSize: 2 } });
  assert.equal(h.heartbeat(joinRequest('a', ['t'])).errorCode, 0);
  assert.equal(h.heartbeat(joinRequest('b', ['t'])).errorCode, 0);
  expectError(h, joinRequest('c', ['t']), ErrorCode.GROUP_MAX_SIZE_REACHED, 'The consumer group has reached its maximum capacity of 2 members.');
  assert.equal(h.heartbeat(heartbeatRequest({ memberId: 'a', memberEpoch: 1, topicPartitions: [] })).errorCode, 0);
});

test('a regex that does not compile is INVALID_REGULAR_EXPRESSION and admits nobody', () => {
  const h = new Harness({ topics: { t: 1 } });
  expectError(h, joinRequest('m', [], { subscribedTopicRegex: 'orders-(' }), ErrorCode.INVALID_REGULAR_EXPRESSION,
    /^SubscribedTopicRegex `orders-\(` is not a valid regular expression: .+\.$/);
  expectError(h, joinRequest('m', [], { subscribedTopicRegex: 'a)|(b' }), ErrorCode.INVALID_REGULAR_EXPRESSION, /not a valid regular expression/);
  assert.equal(h.groups.has('g'), false);
  const ok = h.heartbeat(joinRequest('m', ['t']));
  expectError(h, heartbeatRequest({ memberId: 'm', memberEpoch: ok.memberEpoch, subscribedTopicRegex: '[' }),
    ErrorCode.INVALID_REGULAR_EXPRESSION, /not a valid regular expression/);
});
