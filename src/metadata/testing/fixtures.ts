/**
 * Helpers for metadata tests: images with registered brokers, requests with Kafka's defaults,
 * and applying a controller result the way MetadataManager does.
 */
import { SeededRandom } from '../../common/random.js';
import type { CreateTopicsRequest, CreateTopicsRequestCreatableTopic } from '../../protocol/index.js';
import { bootstrapRecords } from '../broker-registration.js';
import { Controller } from '../controller.js';
import type { ControllerOptions } from '../controller-context.js';
import { MetadataImageBuilder } from '../image-builder.js';
import { emptyMetadataImage, type MetadataImage } from '../image.js';
import { type MetadataRecord, metadataRecord } from '../records.js';

export const CLUSTER_ID = 'MkU3OEVBNTcwNTJENDM2Qg';

/** Applies records as one batch ending at image.offset + records.length. */
export function applyRecords(image: MetadataImage, records: readonly MetadataRecord[]): MetadataImage {
  const builder = new MetadataImageBuilder(image);
  for (const record of records) builder.apply(record);
  return builder.build(image.offset + BigInt(records.length)).image;
}

export function registerBrokerRecord(brokerId: number, brokerEpoch: bigint, fenced = false): MetadataRecord {
  return metadataRecord('RegisterBrokerRecord', {
    brokerId,
    isMigratingZkBroker: false,
    incarnationId: 'AAAAAAAAAAAAAAAAAAAAAg',
    brokerEpoch,
    endPoints: [{ name: 'PLAINTEXT', host: 'localhost', port: 9092 + brokerId, securityProtocol: 0 }],
    features: [],
    rack: null,
    fenced,
    inControlledShutdown: false,
    logDirs: [],
  });
}

/** The bootstrap records and one registration per broker; `fenced` brokers stay fenced. */
export function imageWithBrokers(brokerIds: number[], fenced: number[] = []): MetadataImage {
  const records = [...bootstrapRecords(), ...brokerIds.map((id, i) => registerBrokerRecord(id, BigInt(i + 1), fenced.includes(id)))];
  return applyRecords(emptyMetadataImage(CLUSTER_ID), records);
}

export function newController(seed = 1, options: Partial<ControllerOptions> = {}): Controller {
  return new Controller({ random: new SeededRandom(seed), ...options });
}

export function topic(name: string, fields: Partial<CreateTopicsRequestCreatableTopic> = {}): CreateTopicsRequestCreatableTopic {
  return { name, numPartitions: -1, replicationFactor: -1, assignments: [], configs: [], ...fields };
}

export function createTopicsRequest(topics: CreateTopicsRequestCreatableTopic[], validateOnly = false): CreateTopicsRequest {
  return { topics, timeoutMs: 30_000, validateOnly };
}
