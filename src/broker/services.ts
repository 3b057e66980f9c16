/**
 * What handlers may use: the broker's state lives here (config, metadata, logs), never in
 * handlers. Built once by the Broker at start.
 */
import type { Clock } from '../common/clock.js';
import type { MetadataManager } from '../metadata/index.js';
import type { VersionRange } from '../protocol/index.js';
import type { BrokerConfig, BrokerSettings } from './config/index.js';
import type { ReplicaManager } from './replica-manager.js';
import type { BrokerLogger } from './logger.js';
import type { FetchSessionCache } from './fetch-sessions.js';
import type { GroupCoordinator } from './group-coordinator/index.js';
import type { ProducerIdManager, TransactionCoordinator } from './transaction-coordinator/index.js';

export interface FeatureInfo {
  supported: { name: string; minVersion: number; maxVersion: number }[];
  finalizedEpoch: bigint;
  finalized: { name: string; level: number }[];
}

/** The address clients should use for a listener: advertised.listeners, with bound ports filled in. */
export interface AdvertisedEndpoint {
  listenerName: string;
  host: string;
  port: number;
  securityProtocol: number;
}

export interface BrokerServices {
  readonly nodeId: number;
  readonly clock: Clock;
  readonly logger: BrokerLogger;
  readonly config: BrokerConfig;
  readonly settings: BrokerSettings;
  readonly metadata: MetadataManager;
  readonly replicas: ReplicaManager;
  readonly fetchSessions: FetchSessionCache;
  /** Consumer groups and committed offsets: the shards of the `__consumer_offsets` partitions led here. */
  readonly groupCoordinator: GroupCoordinator;
  /** Transactional ids and their transactions: the shards of the `__transaction_state` partitions led here. */
  readonly transactionCoordinator: TransactionCoordinator;
  /** This broker's blocks of producer ids (idempotent producers get theirs from InitProducerId here). */
  readonly producerIds: ProducerIdManager;
  supportedApis(): { apiKey: number; versions: VersionRange }[];
  features(): FeatureInfo;
  advertisedEndpoints(): AdvertisedEndpoint[];
}
