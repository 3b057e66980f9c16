import type { BrokerRegistration, PartitionRegistration } from './image.js';
import type { MetadataRecordOf } from './records.js';

/**
 * Image entries made from single records: a partition from its PartitionRecord, a partition
 * changed by a PartitionChangeRecord, a broker from its RegisterBrokerRecord.
 */

/** Kafka's PartitionChangeRecord sentinel: the leader field was not set. */
export const NO_LEADER_CHANGE = -2;
/** Kafka's PartitionChangeRecord sentinel: leaderRecoveryState was not set. */
export const NO_RECOVERY_STATE_CHANGE = -1;

export function partitionFromRecord(r: MetadataRecordOf<'PartitionRecord'>['data']): PartitionRegistration {
  return {
    partitionId: r.partitionId,
    replicas: r.replicas,
    isr: r.isr,
    removingReplicas: r.removingReplicas,
    addingReplicas: r.addingReplicas,
    leader: r.leader,
    leaderRecoveryState: r.leaderRecoveryState,
    leaderEpoch: r.leaderEpoch,
    partitionEpoch: r.partitionEpoch,
  };
}

/**
 * Kafka's PartitionRegistration.merge: fields the record sets replace the old ones; a set leader
 * (even the same one) bumps leaderEpoch; every change bumps partitionEpoch.
 */
export function mergePartitionChange(old: PartitionRegistration, r: MetadataRecordOf<'PartitionChangeRecord'>['data']): PartitionRegistration {
  const leaderChanged = r.leader !== NO_LEADER_CHANGE;
  return {
    partitionId: old.partitionId,
    replicas: r.replicas ?? old.replicas,
    isr: r.isr ?? old.isr,
    removingReplicas: r.removingReplicas ?? old.removingReplicas,
    addingReplicas: r.addingReplicas ?? old.addingReplicas,
    leader: leaderChanged ? r.leader : old.leader,
    leaderRecoveryState: r.leaderRecoveryState === NO_RECOVERY_STATE_CHANGE ? old.leaderRecoveryState : r.leaderRecoveryState,
    leaderEpoch: leaderChanged ? old.leaderEpoch + 1 : old.leaderEpoch,
    partitionEpoch: old.partitionEpoch + 1,
  };
}

export function brokerFromRecord(r: MetadataRecordOf<'RegisterBrokerRecord'>['data']): BrokerRegistration {
  return {
    brokerId: r.brokerId,
    incarnationId: r.incarnationId,
    brokerEpoch: r.brokerEpoch,
    endpoints: r.endPoints.map(({ name, host, port, securityProtocol }) => ({ name, host, port, securityProtocol })),
    supportedFeatures: new Map(r.features.map((f) => [f.name, { minSupportedVersion: f.minSupportedVersion, maxSupportedVersion: f.maxSupportedVersion }])),
    rack: r.rack,
    fenced: r.fenced,
    inControlledShutdown: r.inControlledShutdown,
  };
}
