/**
 * Applying records to the shard's state: all of them at load (replay), or the offset records and
 * group tombstones the shard itself just produced (classic groups are updated by the operations).
 * An offset written by a transaction (TxnOffsetCommit) is pending for its producer until the
 * transaction's marker.
 */
import { ClassicGroup } from './classic/group.js';
import type { ClassicEnv } from './classic/env.js';
import { removeClassicGroup } from './classic/lifecycle.js';
import { groupFromRecord } from './classic/records.js';
import type { ConsumerGroupsApi } from './consumer-groups-api.js';
import { offsetFromValue, type OffsetStore } from './offsets/store.js';
import type { GroupRecord } from './records.js';

export interface ReplayTarget {
  readonly classic: ClassicEnv;
  readonly store: OffsetStore;
  readonly consumerGroups: ConsumerGroupsApi;
}

/**
 * `fromLog`: a record read back at load, rather than one this shard just produced;
 * `transactionalProducerId`: the producer whose transaction wrote it, null for a plain write.
 */
export function applyGroupRecord(target: ReplayTarget, record: GroupRecord, fromLog: boolean, transactionalProducerId: bigint | null = null): void {
  const { classic, store, consumerGroups } = target;
  switch (record.type) {
    case 'OffsetCommit': {
      const { group, topic, partition } = record.key;
      if (record.value === null) {
        store.delete(group, topic, partition);
        return;
      }
      // Offsets always belong to a group: one committed outside group management gets an Empty classic group.
      if (!classic.groups.has(group) && !consumerGroups.has(group)) {
        classic.groups.set(group, ClassicGroup.create(group, classic.clock.nowMs()));
      }
      const offset = offsetFromValue(record.value);
      if (transactionalProducerId === null) store.put(group, topic, partition, offset);
      else store.putPending(transactionalProducerId, group, topic, partition, offset);
      return;
    }
    case 'GroupMetadata': {
      const groupId = record.key.group;
      if (record.value === null) removeClassicGroup(classic, groupId);
      else if (fromLog) classic.groups.set(groupId, groupFromRecord(groupId, record.value));
      return;
    }
    default: {
      // ConsumerGroups applies the records it produces itself.
      if (!fromLog) return;
      const groupId = record.key.groupId;
      // A classic group created only to hold offsets has no records of its own: the consumer group replaces it.
      if (record.value !== null && classic.groups.get(groupId)?.isSimple()) classic.groups.delete(groupId);
      consumerGroups.replay(record);
    }
  }
}
