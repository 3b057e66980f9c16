/**
 * What the consumer-group operations share: the shard's options, the groups, the assignors, and
 * a sink that applies each record to the groups as it is written, so the in-memory state always
 * equals what replaying the records so far rebuilds.
 */
import type { ConsumerGroupsOptions } from '../consumer-groups-api.js';
import type { GroupRecord } from '../records.js';
import type { PartitionAssignor } from './assignors/index.js';
import type { ConsumerGroup } from './group.js';
import { replayConsumerGroupRecord } from './replay.js';

export interface ConsumerGroupsContext {
  readonly options: ConsumerGroupsOptions;
  readonly groups: Map<string, ConsumerGroup>;
  /** Supported assignor names in configuration order; the first is the default. */
  readonly assignorNames: readonly string[];
  readonly assignors: ReadonlyMap<string, PartitionAssignor>;
}

export class RecordSink {
  readonly records: GroupRecord[] = [];

  constructor(private readonly groups: Map<string, ConsumerGroup>) {}

  add(record: GroupRecord): void {
    replayConsumerGroupRecord(this.groups, record);
    this.records.push(record);
  }
}
