/**
 * Checks that span several configs (KafkaConfig.validateValues), with Kafka's messages: derived
 * times, log directories, listener syntax, and the KRaft role rules. The KRaft checks run only
 * when process.roles is set; the command line supplies single-node defaults when it is not.
 */
import { logDirs, logRetentionMs, logRollJitterMs, logRollMs } from './derived.js';
import type { ConfigProblem } from './errors.js';
import { type Endpoint, parseCsvList, parseListeners, parseSecurityProtocolMap } from './listeners.js';
import type { BrokerConfigReader } from './types.js';

type Problems = ConfigProblem[];

function checkTimes(c: BrokerConfigReader, out: Problems): void {
  if (logRollMs(c) < 1n) out.push({ key: 'log.roll.ms', reason: 'log.roll.ms must be greater than or equal to 1' });
  if (logRollJitterMs(c) < 0n) out.push({ key: 'log.roll.jitter.ms', reason: 'log.roll.jitter.ms must be greater than or equal to 0' });
  const retentionMs = logRetentionMs(c);
  if (retentionMs < 1n && retentionMs !== -1n) {
    out.push({ key: 'log.retention.ms', reason: 'log.retention.ms must be unlimited (-1) or, greater than or equal to 1' });
  }
  const minLag = c.getLong('log.cleaner.min.compaction.lag.ms');
  const maxLag = c.getLong('log.cleaner.max.compaction.lag.ms');
  if (minLag > maxLag) {
    out.push({ key: 'log.cleaner.min.compaction.lag.ms', reason: `conflict topic config setting min.compaction.lag.ms (${minLag}) > max.compaction.lag.ms (${maxLag})` });
  }
  const fetchWaitMs = c.getInt('replica.fetch.wait.max.ms');
  if (fetchWaitMs > c.getInt('replica.socket.timeout.ms')) {
    out.push({ key: 'replica.socket.timeout.ms', reason: 'replica.socket.timeout.ms should always be at least replica.fetch.wait.max.ms to prevent unnecessary socket timeouts' });
  }
  if (BigInt(fetchWaitMs) > c.getLong('replica.lag.time.max.ms')) {
    out.push({ key: 'replica.fetch.wait.max.ms', reason: 'replica.fetch.wait.max.ms should always be less than or equal to replica.lag.time.max.ms to prevent frequent changes in ISR' });
  }
  const threads = c.getInt('log.cleaner.threads');
  if (threads > 0 && c.getLong('log.cleaner.dedupe.buffer.size') / BigInt(threads) <= 1024n * 1024n) {
    out.push({ key: 'log.cleaner.dedupe.buffer.size', reason: 'log.cleaner.dedupe.buffer.size must be at least 1MB per cleaner thread.' });
  }
}

interface ListenerInfo {
  readonly listeners: readonly Endpoint[];
  readonly advertised: readonly Endpoint[];
}

function checkListeners(c: BrokerConfigReader, out: Problems): ListenerInfo | null {
  const listeners = parseListeners(c.getString('listeners') ?? '');
  const advertisedText = c.getString('advertised.listeners');
  const advertised = advertisedText === null ? listeners : parseListeners(advertisedText);
  const protocols = parseSecurityProtocolMap(c.getString('listener.security.protocol.map') ?? '');
  if (!listeners.ok) out.push({ key: 'listeners', reason: listeners.reason });
  if (!advertised.ok && advertisedText !== null) out.push({ key: 'advertised.listeners', reason: advertised.reason });
  if (!protocols.ok) out.push({ key: 'listener.security.protocol.map', reason: protocols.reason });
  if (!listeners.ok || !advertised.ok || !protocols.ok) return null;
  for (const endpoint of listeners.value) {
    if (!protocols.value.has(endpoint.listenerName)) {
      out.push({ key: 'listeners', reason: `No security protocol defined for listener ${endpoint.listenerName}` });
    }
  }
  if (advertised.value.some((e) => e.host === '0.0.0.0')) {
    out.push({ key: 'advertised.listeners', reason: 'advertised.listeners cannot use the nonroutable meta-address 0.0.0.0. Use a routable IP address.' });
  }
  return { listeners: listeners.value, advertised: advertised.value };
}

function checkRoles(c: BrokerConfigReader, info: ListenerInfo, out: Problems): void {
  const roles = c.getList('process.roles');
  if (roles.length === 0) return;
  const nodeId = c.getInt('node.id');
  if (nodeId < 0) {
    out.push({ key: 'node.id', reason: 'Missing configuration `node.id` which is required when `process.roles` is defined (i.e. when running in KRaft mode).' });
  }
  const voters = c.getList('controller.quorum.voters').map((v) => Number(v.slice(0, v.indexOf('@'))));
  if (voters.length === 0 && c.getList('controller.quorum.bootstrap.servers').length === 0) {
    out.push({ key: 'controller.quorum.voters', reason: 'If using process.roles, either controller.quorum.bootstrap.servers must contain the set of bootstrap controllers or controller.quorum.voters must contain a parseable set of controllers.' });
  }
  const controllerNames = parseCsvList(c.getString('controller.listener.names') ?? '').map((n) => n.toUpperCase());
  const listenerNames = new Set(info.listeners.map((l) => l.listenerName));
  const isController = roles.includes('controller');
  if (isController) {
    if (voters.length > 0 && !voters.includes(nodeId)) {
      out.push({ key: 'controller.quorum.voters', reason: `If process.roles contains the 'controller' role, the node id ${nodeId} must be included in the set of voters controller.quorum.voters=${voters.join(',')}` });
    }
    if (controllerNames.length === 0 || !controllerNames.every((n) => listenerNames.has(n))) {
      out.push({ key: 'controller.listener.names', reason: "controller.listener.names must only contain values appearing in the 'listeners' configuration when running the KRaft controller role" });
    }
  } else {
    if (voters.includes(nodeId)) {
      out.push({ key: 'controller.quorum.voters', reason: `If process.roles contains just the 'broker' role, the node id ${nodeId} must not be included in the set of voters controller.quorum.voters=${voters.join(',')}` });
    }
    if (controllerNames.length === 0) {
      out.push({ key: 'controller.listener.names', reason: 'controller.listener.names must contain at least one value when running KRaft with just the broker role' });
    } else if (controllerNames.some((n) => listenerNames.has(n))) {
      out.push({ key: 'controller.listener.names', reason: "controller.listener.names must not contain a value appearing in the 'listeners' configuration when running KRaft with just the broker role" });
    }
  }
  if (roles.includes('broker')) {
    const brokerAdvertised = info.advertised.filter((e) => !controllerNames.includes(e.listenerName));
    if (brokerAdvertised.length === 0) {
      out.push({ key: 'advertised.listeners', reason: 'There must be at least one broker advertised listener. Perhaps all listeners appear in controller.listener.names?' });
    }
    const unknown = brokerAdvertised.filter((e) => !listenerNames.has(e.listenerName)).map((e) => e.listenerName);
    if (unknown.length > 0) {
      out.push({ key: 'advertised.listeners', reason: `advertised.listeners listener names must be equal to or a subset of the ones defined in listeners. Found ${unknown.join(',')}.` });
    }
  }
}

/** Every cross-config problem of a broker configuration. */
export function checkBrokerConfig(c: BrokerConfigReader): ConfigProblem[] {
  const out: Problems = [];
  checkTimes(c, out);
  if (logDirs(c).length === 0) out.push({ key: 'log.dirs', reason: 'At least one log directory must be defined via log.dirs or log.dir.' });
  const info = checkListeners(c, out);
  if (info !== null) checkRoles(c, info, out);
  return out;
}
