import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode, ZERO_UUID } from '../protocol/index.js';
import type { TxnMarker } from '../storage/index.js';
import type { PartitionLookup } from './replica-manager.js';
import { writeTxnMarker } from './txn-markers.js';

const MARKER: TxnMarker = { producerId: 7n, producerEpoch: 1, coordinatorEpoch: 3, committed: true };

/** Fakes recording which path a marker took. */
function deps(o: { lookupCode?: number; groupCode?: number; appendCode?: number } = {}) {
  const calls: string[] = [];
  return {
    calls,
    deps: {
      replicas: {
        lookup(topic: string, partition: number): PartitionLookup {
          calls.push(`lookup ${topic}-${partition}`);
          return { errorCode: o.lookupCode ?? ErrorCode.NONE, topicId: ZERO_UUID, leaderEpoch: 0, log: undefined };
        },
        async appendTxnMarker(topic: string, partition: number, marker: TxnMarker) {
          calls.push(`append ${topic}-${partition} ${marker.producerId}`);
          return { errorCode: o.appendCode ?? ErrorCode.NONE };
        },
      },
      groupCoordinator: {
        async writeTxnMarker(partition: number, marker: TxnMarker) {
          calls.push(`group ${partition} ${marker.producerId}`);
          return o.groupCode ?? ErrorCode.NONE;
        },
      },
    },
  };
}

test('a data partition gets the marker from the replica manager, with its error code', async () => {
  const ok = deps();
  assert.equal(await writeTxnMarker(ok.deps, 'orders', 2, MARKER), ErrorCode.NONE);
  assert.deepEqual(ok.calls, ['append orders-2 7']);
  const fenced = deps({ appendCode: ErrorCode.TRANSACTION_COORDINATOR_FENCED });
  assert.equal(await writeTxnMarker(fenced.deps, 'orders', 0, MARKER), ErrorCode.TRANSACTION_COORDINATOR_FENCED);
});

test('a __consumer_offsets partition goes through the group coordinator', async () => {
  const ok = deps();
  assert.equal(await writeTxnMarker(ok.deps, '__consumer_offsets', 4, MARKER), ErrorCode.NONE);
  assert.deepEqual(ok.calls, ['lookup __consumer_offsets-4', 'group 4 7']);
  const unknown = deps({ lookupCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION });
  assert.equal(await writeTxnMarker(unknown.deps, '__consumer_offsets', 99, MARKER), ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  assert.deepEqual(unknown.calls, ['lookup __consumer_offsets-99'], 'an unknown partition never reaches the coordinator');
});

test('the group coordinator\'s not-ready codes become NOT_LEADER_OR_FOLLOWER; others pass through', async () => {
  for (const code of [ErrorCode.NOT_COORDINATOR, ErrorCode.COORDINATOR_LOAD_IN_PROGRESS, ErrorCode.COORDINATOR_NOT_AVAILABLE]) {
    assert.equal(await writeTxnMarker(deps({ groupCode: code }).deps, '__consumer_offsets', 0, MARKER), ErrorCode.NOT_LEADER_OR_FOLLOWER);
  }
  assert.equal(await writeTxnMarker(deps({ groupCode: ErrorCode.INVALID_PRODUCER_EPOCH }).deps, '__consumer_offsets', 0, MARKER), ErrorCode.INVALID_PRODUCER_EPOCH);
});
