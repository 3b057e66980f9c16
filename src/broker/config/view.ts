/**
 * The broker settings the rest of the broker reads, typed and named with their units. Built
 * from the effective config, so it reflects dynamic changes when rebuilt after one.
 */
import { logDirs, logFlushIntervalMs, logRetentionMs, logRollJitterMs, logRollMs, metadataLogDir, offsetsRetentionMs } from './derived.js';
import { type Endpoint, type SecurityProtocol, parseCsvList, parseListeners, parseSecurityProtocolMap } from './listeners.js';
import type { BrokerConfigReader } from './types.js';
import { toSafeNumber } from './values.js';

export interface BrokerSettings {
  readonly nodeId: number;
  readonly processRoles: readonly ('broker' | 'controller')[];
  readonly listeners: readonly Endpoint[];
  /** advertised.listeners, or listeners when unset. */
  readonly advertisedListeners: readonly Endpoint[];
  readonly listenerSecurityProtocols: ReadonlyMap<string, SecurityProtocol>;
  readonly controllerListenerNames: readonly string[];
  readonly interBrokerListenerName: string;
  readonly brokerRack: string | null;
  readonly logDirs: readonly string[];
  readonly metadataLogDir: string | undefined;
  readonly numPartitions: number;
  readonly defaultReplicationFactor: number;
  readonly autoCreateTopicsEnable: boolean;
  readonly deleteTopicEnable: boolean;
  readonly messageMaxBytes: number;
  readonly socketRequestMaxBytes: number;
  readonly socketSendBufferBytes: number;
  readonly socketReceiveBufferBytes: number;
  readonly connectionsMaxIdleMs: number;
  readonly maxConnections: number;
  readonly maxConnectionsPerIp: number;
  readonly queuedMaxRequests: number;
  readonly requestTimeoutMs: number;
  readonly replicaFetchMaxBytes: number;
  readonly fetchMaxBytes: number;
  readonly logRetentionMs: number;
  readonly logRetentionCheckIntervalMs: number;
  readonly logRollMs: number;
  readonly logRollJitterMs: number;
  readonly logFlushIntervalMs: number;
  readonly logFlushSchedulerIntervalMs: number;
  readonly logFlushOffsetCheckpointIntervalMs: number;
  readonly logFlushStartOffsetCheckpointIntervalMs: number;
  readonly logCleanerEnable: boolean;
  readonly logCleanerThreads: number;
  readonly logCleanerBackoffMs: number;
  readonly minInsyncReplicas: number;
  readonly offsetsTopicNumPartitions: number;
  readonly offsetsTopicReplicationFactor: number;
  readonly offsetsRetentionMs: number;
  readonly offsetsRetentionCheckIntervalMs: number;
  readonly groupInitialRebalanceDelayMs: number;
  readonly groupMinSessionTimeoutMs: number;
  readonly groupMaxSessionTimeoutMs: number;
  readonly groupMaxSize: number;
  readonly transactionStateLogNumPartitions: number;
  readonly transactionStateLogReplicationFactor: number;
  readonly transactionStateLogMinIsr: number;
  readonly transactionalIdExpirationMs: number;
  readonly transactionMaxTimeoutMs: number;
  readonly producerIdExpirationMs: number;
  readonly producerIdExpirationCheckIntervalMs: number;
}

/** Reads the typed settings; assumes the config passed its checks (listeners parse). */
export function brokerSettings(c: BrokerConfigReader): BrokerSettings {
  const listeners = parseListeners(c.getString('listeners') ?? '');
  const advertisedText = c.getString('advertised.listeners');
  const advertised = advertisedText === null ? listeners : parseListeners(advertisedText);
  const protocols = parseSecurityProtocolMap(c.getString('listener.security.protocol.map') ?? '');
  const long = (name: string): number => toSafeNumber(c.getLong(name));
  return {
    nodeId: c.getInt('node.id'),
    processRoles: c.getList('process.roles') as ('broker' | 'controller')[],
    listeners: listeners.ok ? listeners.value : [],
    advertisedListeners: advertised.ok ? advertised.value : [],
    listenerSecurityProtocols: protocols.ok ? protocols.value : new Map(),
    controllerListenerNames: parseCsvList(c.getString('controller.listener.names') ?? '').map((n) => n.toUpperCase()),
    interBrokerListenerName: (c.getString('inter.broker.listener.name') ?? c.getString('security.inter.broker.protocol') ?? 'PLAINTEXT').toUpperCase(),
    brokerRack: c.getString('broker.rack'),
    logDirs: logDirs(c),
    metadataLogDir: metadataLogDir(c),
    numPartitions: c.getInt('num.partitions'),
    defaultReplicationFactor: c.getInt('default.replication.factor'),
    autoCreateTopicsEnable: c.getBoolean('auto.create.topics.enable'),
    deleteTopicEnable: c.getBoolean('delete.topic.enable'),
    messageMaxBytes: c.getInt('message.max.bytes'),
    socketRequestMaxBytes: c.getInt('socket.request.max.bytes'),
    socketSendBufferBytes: c.getInt('socket.send.buffer.bytes'),
    socketReceiveBufferBytes: c.getInt('socket.receive.buffer.bytes'),
    connectionsMaxIdleMs: long('connections.max.idle.ms'),
    maxConnections: c.getInt('max.connections'),
    maxConnectionsPerIp: c.getInt('max.connections.per.ip'),
    queuedMaxRequests: c.getInt('queued.max.requests'),
    requestTimeoutMs: c.getInt('request.timeout.ms'),
    replicaFetchMaxBytes: c.getInt('replica.fetch.max.bytes'),
    fetchMaxBytes: c.getInt('fetch.max.bytes'),
    logRetentionMs: toSafeNumber(logRetentionMs(c)),
    logRetentionCheckIntervalMs: long('log.retention.check.interval.ms'),
    logRollMs: toSafeNumber(logRollMs(c)),
    logRollJitterMs: toSafeNumber(logRollJitterMs(c)),
    logFlushIntervalMs: toSafeNumber(logFlushIntervalMs(c)),
    logFlushSchedulerIntervalMs: long('log.flush.scheduler.interval.ms'),
    logFlushOffsetCheckpointIntervalMs: c.getInt('log.flush.offset.checkpoint.interval.ms'),
    logFlushStartOffsetCheckpointIntervalMs: c.getInt('log.flush.start.offset.checkpoint.interval.ms'),
    logCleanerEnable: c.getBoolean('log.cleaner.enable'),
    logCleanerThreads: c.getInt('log.cleaner.threads'),
    logCleanerBackoffMs: long('log.cleaner.backoff.ms'),
    minInsyncReplicas: c.getInt('min.insync.replicas'),
    offsetsTopicNumPartitions: c.getInt('offsets.topic.num.partitions'),
    offsetsTopicReplicationFactor: c.getInt('offsets.topic.replication.factor'),
    offsetsRetentionMs: offsetsRetentionMs(c),
    offsetsRetentionCheckIntervalMs: long('offsets.retention.check.interval.ms'),
    groupInitialRebalanceDelayMs: c.getInt('group.initial.rebalance.delay.ms'),
    groupMinSessionTimeoutMs: c.getInt('group.min.session.timeout.ms'),
    groupMaxSessionTimeoutMs: c.getInt('group.max.session.timeout.ms'),
    groupMaxSize: c.getInt('group.max.size'),
    transactionStateLogNumPartitions: c.getInt('transaction.state.log.num.partitions'),
    transactionStateLogReplicationFactor: c.getInt('transaction.state.log.replication.factor'),
    transactionStateLogMinIsr: c.getInt('transaction.state.log.min.isr'),
    transactionalIdExpirationMs: c.getInt('transactional.id.expiration.ms'),
    transactionMaxTimeoutMs: c.getInt('transaction.max.timeout.ms'),
    producerIdExpirationMs: c.getInt('producer.id.expiration.ms'),
    producerIdExpirationCheckIntervalMs: c.getInt('producer.id.expiration.check.interval.ms'),
  };
}
