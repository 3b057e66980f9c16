/**
 * What the offset operations share: the offset store, the groups they check commits against
 * (classic groups here, consumer groups through their API), and a way to apply the records they
 * produce to the shard's own state.
 */
import type { Clock } from '../../../common/clock.js';
import type { ClassicEnv } from '../classic/env.js';
import type { ConsumerGroupsApi } from '../consumer-groups-api.js';
import type { GroupRecord } from '../records.js';
import type { GroupCoordinatorConfig } from '../shard-api.js';
import type { OffsetStore } from './store.js';

export interface OffsetsEnv {
  readonly config: GroupCoordinatorConfig;
  readonly clock: Clock;
  readonly store: OffsetStore;
  readonly classic: ClassicEnv;
  readonly consumerGroups: ConsumerGroupsApi;
  /**
   * Applies OffsetCommit and GroupMetadata records this shard just produced to its own state;
   * with a producer id, the offsets are pending in that producer's transaction.
   */
  readonly apply: (records: readonly GroupRecord[], transactionalProducerId?: bigint) => void;
}
