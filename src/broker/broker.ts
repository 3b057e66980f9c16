/**
 * A Samsa broker: single node, combined broker and controller. Start-up opens the metadata log
 * and replays it, loads (and if needed recovers) the partition logs, registers this node, then
 * serves the listeners. stop() undoes it in reverse, cleanly.
 */
import { join } from 'node:path';
import { type Clock, systemClock } from '../common/clock.js';
import type { FileSystem } from '../common/fs.js';
import { nodeFileSystem } from '../common/fs-node.js';
import { type Random, systemRandom } from '../common/random.js';
import { Controller, MetadataManager, type MetadataRecord, metadataRecordSerde, METADATA_VERSION_FEATURE } from '../metadata/index.js';
import { LocalMetadataLog } from '../raft/index.js';
import { ensureMetaProperties, LogManager } from '../storage/index.js';
import { uuidFromBytes } from '../protocol/index.js';
import { type BrokerConfig, type BrokerSettings, brokerSettings } from './config/index.js';
import { SocketServer, type BoundListener } from './network/index.js';
import { HandlerRegistry, brokerHandlers } from './handlers/index.js';
import { ReplicaManager } from './replica-manager.js';
import { LogSync } from './log-sync.js';
import { DynamicConfigSync } from './dynamic-config-sync.js';
import { type BrokerLogger, consoleLogger } from './logger.js';
import type { AdvertisedEndpoint, BrokerServices, FeatureInfo } from './services.js';
import { discoverClusterId, newClusterId } from './cluster-id.js';
import { resolvedTopicLogConfig, storageLogConfig } from './topic-log-config.js';
import { configPolicy } from './config-policy.js';
import { FetchSessionCache } from './fetch-sessions.js';
import { GroupCoordinatorShard, decodeGroupRecord, encodeGroupRecord } from '../coordinator/group/index.js';
import { GroupCoordinator, groupRuntimeConfig, replicaCoordinatorLog } from './group-coordinator/index.js';
import { CONSUMER_OFFSETS_TOPIC, TRANSACTION_STATE_TOPIC } from './internal-topics.js';
import { decodeTransactionRecord, encodeTransactionRecord, newTransactionShard } from '../coordinator/transaction/index.js';
import { CoarseTimer } from './coordinator-runtime/coarse-timer.js';
import { ProducerIdManager, TransactionCoordinator, transactionRuntimeConfig } from './transaction-coordinator/index.js';
import { writeTxnMarker } from './txn-markers.js';

export interface BrokerOptions {
  config: BrokerConfig;
  fs?: FileSystem;
  clock?: Clock;
  random?: Random;
  logger?: BrokerLogger;
  /** Milliseconds between the log manager's periodic tasks (retention, flush, checkpoints). */
  logTickMs?: number;
}

const SECURITY_PROTOCOL_IDS: Record<string, number> = { PLAINTEXT: 0, SSL: 1, SASL_PLAINTEXT: 2, SASL_SSL: 3 };
const METADATA_VERSION_RANGE = { min: 7, max: 14 };

export class Broker {
  private constructor(
    readonly clusterId: string,
    readonly settings: BrokerSettings,
    readonly services: BrokerServices,
    private readonly server: SocketServer,
    private readonly logs: LogManager,
    private readonly metadata: MetadataManager,
    private readonly metadataLog: LocalMetadataLog<MetadataRecord>,
    /** Retries of the transaction side: producer-id blocks, transaction markers. */
    private readonly transactionTimer: CoarseTimer,
  ) {}

  get listeners(): BoundListener[] {
    return this.server.listeners;
  }

  /** host:port of the first listener, for clients. */
  get bootstrapAddress(): string {
    const e = this.services.advertisedEndpoints()[0];
    return e ? `${e.host}:${e.port}` : '';
  }

  static async start(o: BrokerOptions): Promise<Broker> {
    const fs = o.fs ?? nodeFileSystem;
    const clock = o.clock ?? systemClock;
    const random = o.random ?? systemRandom;
    const logger = o.logger ?? consoleLogger;
    const config = o.config;
    const settings = brokerSettings(config);
    const nodeId = settings.nodeId;
    const metadataDir = settings.metadataLogDir ?? settings.logDirs[0]!;
    const clusterId = (await discoverClusterId(fs, [metadataDir, ...settings.logDirs])) ?? newClusterId(random);
    await fs.mkdirp(metadataDir);
    await ensureMetaProperties(fs, metadataDir, { nodeId, clusterId }, random, clock.nowMs());

    const log = await LocalMetadataLog.open({ fs, logDir: metadataDir, nodeId, serde: metadataRecordSerde, clock });
    const controller = new Controller({
      random,
      numPartitions: settings.numPartitions,
      defaultReplicationFactor: settings.defaultReplicationFactor,
      configPolicy: configPolicy(config),
    });
    const metadata = await MetadataManager.open({ log, clusterId, controller, onPublisherError: (e) => logger.error('metadata publisher failed', e) });
    const configFor = (topic: string) => storageLogConfig(resolvedTopicLogConfig(config, metadata.image, topic));
    const logs = await LogManager.start({
      fs, logDirs: settings.logDirs, nodeId, clusterId, configFor, clock, random,
      tickMs: o.logTickMs, onWarning: (m) => logger.warn(m),
      retentionCheckIntervalMs: settings.logRetentionCheckIntervalMs,
      flushSchedulerIntervalMs: settings.logFlushSchedulerIntervalMs,
      flushRecoveryPointCheckpointIntervalMs: settings.logFlushOffsetCheckpointIntervalMs,
      flushStartOffsetCheckpointIntervalMs: settings.logFlushStartOffsetCheckpointIntervalMs,
      initialTaskDelayMs: config.getLongAsNumber('log.initial.task.delay.ms'),
      cleanerEnable: settings.logCleanerEnable,
      cleanerBackoffMs: settings.logCleanerBackoffMs,
      cleanerDedupeBufferSize: config.getLongAsNumber('log.cleaner.dedupe.buffer.size'),
      producerIdExpirationMs: settings.producerIdExpirationMs,
      producerIdExpirationCheckIntervalMs: settings.producerIdExpirationCheckIntervalMs,
      onLogDirFailure: (dir, e) => logger.error(`log dir ${dir} failed and is offline`, e),
    });
    const groupConfig = groupRuntimeConfig(config);
    const registry = new HandlerRegistry(brokerHandlers(groupConfig.rebalanceProtocols));
    const serverListeners = settings.listeners.filter((l) => !settings.controllerListenerNames.includes(l.listenerName));
    const server = new SocketServer({
      config: {
        listeners: serverListeners.map((l) => ({ name: l.listenerName, host: l.host ?? '0.0.0.0', port: l.port })),
        socketRequestMaxBytes: settings.socketRequestMaxBytes,
        queuedMaxRequests: settings.queuedMaxRequests,
        connectionsMaxIdleMs: settings.connectionsMaxIdleMs,
        maxConnections: settings.maxConnections,
        maxConnectionsPerIp: settings.maxConnectionsPerIp,
      },
      handler: registry,
      clock,
      logger: {
        debug: () => {},
        info: (m, fields) => logger.info(`${m}${fields ? ` ${JSON.stringify(fields)}` : ''}`),
        error: (m, fields) => logger.error(m, fields),
      },
    });
    const replicas = new ReplicaManager(logs, metadata, nodeId, clock, logger, config);
    const advertisedEndpoints = (): AdvertisedEndpoint[] => settings.advertisedListeners
      .filter((l) => !settings.controllerListenerNames.includes(l.listenerName))
      .map((l) => {
        const bound = server.listeners.find((b) => b.name === l.listenerName);
        const host = l.host && l.host !== '0.0.0.0' ? l.host : (bound && bound.host !== '0.0.0.0' ? bound.host : 'localhost');
        return {
          listenerName: l.listenerName,
          host,
          port: l.port === 0 && bound ? bound.port : l.port,
          securityProtocol: SECURITY_PROTOCOL_IDS[settings.listenerSecurityProtocols.get(l.listenerName) ?? 'PLAINTEXT'] ?? 0,
        };
      });
    const groupCoordinator = new GroupCoordinator({
      nodeId, clock, random, logger, metadata, advertisedEndpoints,
      log: replicaCoordinatorLog(replicas, CONSUMER_OFFSETS_TOPIC),
      config: groupConfig,
      newShard: (options) => new GroupCoordinatorShard(options),
      serde: { encode: encodeGroupRecord, decode: decodeGroupRecord },
    });
    const transactionTimer = new CoarseTimer(clock, (e) => logger.error('a transaction retry failed', e));
    const producerIds = new ProducerIdManager({
      brokerId: nodeId,
      allocate: (brokerId, brokerEpoch) => metadata.allocateProducerIds({ brokerId, brokerEpoch }),
      timer: transactionTimer,
      logger,
    });
    const transactionCoordinator = new TransactionCoordinator({
      nodeId, clock, logger, metadata, advertisedEndpoints, producerIds,
      log: replicaCoordinatorLog(replicas, TRANSACTION_STATE_TOPIC),
      config: transactionRuntimeConfig(config),
      newShard: newTransactionShard,
      serde: { encode: encodeTransactionRecord, decode: decodeTransactionRecord },
      writeMarker: (topic, partition, marker) => writeTxnMarker({ replicas, groupCoordinator }, topic, partition, marker),
      offsetsPartitionFor: (groupId) => groupCoordinator.partitionFor(groupId),
      retryTimer: transactionTimer,
    });
    const services: BrokerServices = {
      nodeId, clock, logger, config, settings, metadata, replicas, groupCoordinator, transactionCoordinator, producerIds,
      fetchSessions: new FetchSessionCache(config.getInt('max.incremental.fetch.session.cache.slots')),
      supportedApis: () => registry.supportedApis(),
      features: (): FeatureInfo => ({
        supported: [{ name: METADATA_VERSION_FEATURE, minVersion: METADATA_VERSION_RANGE.min, maxVersion: METADATA_VERSION_RANGE.max }],
        finalizedEpoch: metadata.image.offset,
        finalized: [...metadata.image.features].map(([name, level]) => ({ name, level })),
      }),
      advertisedEndpoints,
    };
    registry.bind(services);
    await metadata.addPublisher(new DynamicConfigSync(config, nodeId, logger, logs, configFor));
    await metadata.addPublisher(new LogSync(logs, nodeId, logger, configFor));
    // After LogSync: the shards load from the logs it opens.
    await groupCoordinator.start();
    // Transactions write markers to `__consumer_offsets` through the group coordinator: started after it.
    await transactionCoordinator.start();
    await server.start();
    // Producer-id blocks are granted to a registered broker epoch.
    producerIds.start(await registerSelf(metadata, services, clusterId, random));
    return new Broker(clusterId, settings, services, server, logs, metadata, log, transactionTimer);
  }

  /**
   * Unloads the transaction coordinator (marker rounds under way finish; the rest are resent at
   * the next load) and the group coordinator (its queued operations finish; requests still
   * waiting on a rebalance get NOT_COORDINATOR), stops serving, then closes the logs (clean
   * shutdown marker, checkpoints) and the metadata log.
   */
  async stop(): Promise<void> {
    this.services.replicas.waiters.wakeAll();
    this.services.producerIds.stop();
    await this.services.transactionCoordinator.stop();
    this.transactionTimer.stop();
    await this.services.groupCoordinator.stop();
    await this.server.close();
    await this.logs.shutdown();
    await this.metadata.close();
    await this.metadataLog.close();
  }
}

/** Registers and unfences this node; its broker epoch. */
async function registerSelf(metadata: MetadataManager, services: BrokerServices, clusterId: string, random: Random): Promise<bigint> {
  const registration = await metadata.registerBroker({
    brokerId: services.nodeId,
    clusterId,
    incarnationId: uuidFromBytes(random.bytes(16)),
    listeners: services.advertisedEndpoints().map((e) => ({ name: e.listenerName, host: e.host, port: e.port, securityProtocol: e.securityProtocol, _unknownTaggedFields: undefined })),
    features: [{ name: METADATA_VERSION_FEATURE, minSupportedVersion: METADATA_VERSION_RANGE.min, maxSupportedVersion: METADATA_VERSION_RANGE.max, _unknownTaggedFields: undefined }],
    rack: services.settings.brokerRack,
    isMigratingZkBroker: false,
    logDirs: [],
    previousBrokerEpoch: -1n,
    _unknownTaggedFields: undefined,
  });
  if (registration.errorCode !== 0) throw new Error(`broker registration failed with error code ${registration.errorCode}`);
  const unfenced = await metadata.unfenceBroker(services.nodeId, registration.brokerEpoch);
  if (unfenced.code !== 0) throw new Error(`unfencing failed: ${unfenced.message}`);
  return registration.brokerEpoch;
}

export function defaultDataDir(): string {
  return join(process.cwd(), 'samsa-data');
}
