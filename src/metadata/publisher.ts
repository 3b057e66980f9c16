import type { Uuid } from '../protocol/index.js';
import type { MetadataChanges } from './image-builder.js';
import { emptyMetadataImage, type MetadataImage } from './image.js';
import type { MetadataRecord } from './records.js';

/**
 * How the rest of the node learns about committed metadata (Kafka's `MetadataPublisher`): after
 * each committed batch, every publisher gets the previous image, the new one and what changed,
 * in commit order and one update at a time. The broker's publisher creates and deletes partition
 * logs from `changes`; the image itself is the source of truth.
 */

export interface MetadataUpdate {
  readonly previous: MetadataImage;
  readonly image: MetadataImage;
  readonly changes: MetadataChanges;
  /** The committed records, in order; empty for the first update of a publisher (see fullUpdate). */
  readonly records: readonly MetadataRecord[];
}

export interface MetadataPublisher {
  /** For error reports. */
  readonly name: string;
  /**
   * Called once per committed batch, after the records are durable. The next operation's result
   * waits for this to finish, so keep it short or hand work off.
   */
  onMetadataUpdate(update: MetadataUpdate): void | Promise<void>;
}

/**
 * The update that brings a publisher from nothing to `image`: every topic created, every
 * partition changed, every config and broker new. A publisher gets it when it is installed.
 */
export function fullUpdate(image: MetadataImage): MetadataUpdate {
  const changedPartitions = new Map<Uuid, ReadonlySet<number>>();
  for (const topic of image.topicsById.values()) changedPartitions.set(topic.topicId, new Set(topic.partitions.keys()));
  const changes: MetadataChanges = {
    createdTopicIds: new Set(image.topicsById.keys()),
    deletedTopics: new Map(),
    changedPartitions,
    changedTopicConfigs: new Set(image.topicConfigs.keys()),
    changedBrokerConfigs: new Set(image.brokerConfigs.keys()),
    brokersChanged: image.brokers.size > 0,
    featuresChanged: image.features.size > 0,
  };
  return { previous: emptyMetadataImage(image.clusterId), image, changes, records: [] };
}
