/**
 * Broker configs for identity and KRaft (KRaftConfigs, QuorumConfig), the socket server
 * (SocketServerConfigs), request handling (ServerConfigs) and replication (ReplicationConfigs).
 * Thread counts are accepted for compatibility; Samsa's event loop may ignore them.
 */
import { brokerDef } from './define.js';
import { type BrokerConfigDef, INT_MAX } from './types.js';
import { atLeast, listOf, oneOf, quorumVoters } from './validators.js';

const CW = { mode: 'cluster-wide' } as const;
const PB = { mode: 'per-broker' } as const;
const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

export const SECURITY_PROTOCOLS = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'] as const;

export const BROKER_SERVER_DEFS: readonly BrokerConfigDef[] = [
  // Identity and KRaft.
  brokerDef('node.id', 'int', -1),
  brokerDef('broker.id', 'int', -1),
  brokerDef('process.roles', 'list', '', { validator: listOf('broker', 'controller') }),
  brokerDef('controller.listener.names', 'string', null),
  brokerDef('controller.quorum.voters', 'list', '', { validator: quorumVoters }),
  brokerDef('controller.quorum.bootstrap.servers', 'list', ''),
  brokerDef('controller.quorum.election.timeout.ms', 'int', 1000),
  brokerDef('controller.quorum.fetch.timeout.ms', 'int', 2000),
  brokerDef('controller.quorum.election.backoff.max.ms', 'int', 1000),
  brokerDef('controller.quorum.append.linger.ms', 'int', 25),
  brokerDef('controller.quorum.request.timeout.ms', 'int', 2000),
  brokerDef('controller.quorum.retry.backoff.ms', 'int', 20),
  brokerDef('sasl.mechanism.controller.protocol', 'string', 'GSSAPI'),
  brokerDef('metadata.log.dir', 'string', null),
  brokerDef('metadata.log.segment.bytes', 'int', 1024 * 1024 * 1024, { validator: atLeast(12) }),
  brokerDef('metadata.log.segment.ms', 'long', WEEK_MS),
  brokerDef('metadata.max.retention.bytes', 'long', 100 * 1024 * 1024),
  brokerDef('metadata.max.retention.ms', 'long', WEEK_MS),
  brokerDef('metadata.log.max.record.bytes.between.snapshots', 'long', 20 * 1024 * 1024, { validator: atLeast(1) }),
  brokerDef('metadata.log.max.snapshot.interval.ms', 'long', 3600000, { validator: atLeast(0) }),
  brokerDef('metadata.max.idle.interval.ms', 'int', 500, { validator: atLeast(0) }),
  brokerDef('initial.broker.registration.timeout.ms', 'int', 60000),
  brokerDef('broker.heartbeat.interval.ms', 'int', 2000),
  brokerDef('broker.session.timeout.ms', 'int', 9000),
  brokerDef('broker.rack', 'string', null),
  // Socket server.
  brokerDef('listeners', 'string', 'PLAINTEXT://:9092', PB),
  brokerDef('advertised.listeners', 'string', null, PB),
  brokerDef('listener.security.protocol.map', 'string', 'SASL_SSL:SASL_SSL,PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT', PB),
  brokerDef('early.start.listeners', 'string', null),
  brokerDef('socket.send.buffer.bytes', 'int', 102400),
  brokerDef('socket.receive.buffer.bytes', 'int', 102400),
  brokerDef('socket.request.max.bytes', 'int', 104857600, { validator: atLeast(1) }),
  brokerDef('socket.listen.backlog.size', 'int', 50, { validator: atLeast(1) }),
  brokerDef('max.connections.per.ip', 'int', INT_MAX, { validator: atLeast(0), ...CW }),
  brokerDef('max.connections.per.ip.overrides', 'string', '', CW),
  brokerDef('max.connections', 'int', INT_MAX, { validator: atLeast(0), ...CW }),
  brokerDef('max.connection.creation.rate', 'int', INT_MAX, { validator: atLeast(0), ...CW }),
  brokerDef('connections.max.idle.ms', 'long', 600000),
  brokerDef('connection.failed.authentication.delay.ms', 'int', 100, { validator: atLeast(0) }),
  brokerDef('queued.max.requests', 'int', 500, { validator: atLeast(1) }),
  brokerDef('queued.max.request.bytes', 'long', -1),
  brokerDef('num.network.threads', 'int', 3, { validator: atLeast(1), ...CW }),
  // Request handling.
  brokerDef('num.io.threads', 'int', 8, { validator: atLeast(1), ...CW }),
  brokerDef('background.threads', 'int', 10, { validator: atLeast(1), ...CW }),
  brokerDef('num.replica.alter.log.dirs.threads', 'int', null),
  brokerDef('request.timeout.ms', 'int', 30000),
  brokerDef('socket.connection.setup.timeout.ms', 'long', 10000),
  brokerDef('socket.connection.setup.timeout.max.ms', 'long', 30000),
  brokerDef('delete.topic.enable', 'boolean', true),
  brokerDef('controlled.shutdown.enable', 'boolean', true),
  brokerDef('max.incremental.fetch.session.cache.slots', 'int', 1000, { validator: atLeast(0) }),
  brokerDef('fetch.max.bytes', 'int', 55 * 1024 * 1024, { validator: atLeast(1024) }),
  brokerDef('authorizer.class.name', 'string', ''),
  // Replication.
  brokerDef('default.replication.factor', 'int', 1),
  brokerDef('replica.lag.time.max.ms', 'long', 30000),
  brokerDef('replica.socket.timeout.ms', 'int', 30000),
  brokerDef('replica.socket.receive.buffer.bytes', 'int', 65536),
  brokerDef('replica.fetch.max.bytes', 'int', 1024 * 1024, { validator: atLeast(0) }),
  brokerDef('replica.fetch.wait.max.ms', 'int', 500),
  brokerDef('replica.fetch.backoff.ms', 'int', 1000, { validator: atLeast(0) }),
  brokerDef('replica.fetch.min.bytes', 'int', 1),
  brokerDef('replica.fetch.response.max.bytes', 'int', 10 * 1024 * 1024, { validator: atLeast(0) }),
  brokerDef('num.replica.fetchers', 'int', 1, CW),
  brokerDef('replica.high.watermark.checkpoint.interval.ms', 'long', 5000),
  brokerDef('fetch.purgatory.purge.interval.requests', 'int', 1000),
  brokerDef('producer.purgatory.purge.interval.requests', 'int', 1000),
  brokerDef('delete.records.purgatory.purge.interval.requests', 'int', 1),
  brokerDef('auto.leader.rebalance.enable', 'boolean', true),
  brokerDef('leader.imbalance.per.broker.percentage', 'int', 10),
  brokerDef('leader.imbalance.check.interval.seconds', 'long', 300, { validator: atLeast(1) }),
  brokerDef('security.inter.broker.protocol', 'string', 'PLAINTEXT', { validator: oneOf(...SECURITY_PROTOCOLS) }),
  brokerDef('inter.broker.listener.name', 'string', null),
  brokerDef('replica.selector.class', 'string', null),
];
