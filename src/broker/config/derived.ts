/**
 * Broker settings Kafka computes from several configs (KafkaConfig's derived getters): the
 * first set synonym wins, hours and minutes become milliseconds, a negative retention means
 * unlimited (-1), and log.dirs falls back to log.dir.
 */
import { assert } from '../../common/errors.js';
import { parseCsvList } from './listeners.js';
import { TOPIC_DEFS } from './registry.js';
import type { BrokerConfigReader, BrokerSynonym, ConfigValue, TopicConfigDef } from './types.js';

const FACTOR: Readonly<Record<BrokerSynonym['unit'], bigint>> = { same: 1n, minutes: 60_000n, hours: 3_600_000n };

/** The value of the first synonym that has one, converted to the topic config's unit and type. */
export function valueFromSynonyms(reader: BrokerConfigReader, topic: TopicConfigDef): ConfigValue {
  for (const synonym of topic.brokerSynonyms) {
    const value = reader.get(synonym.name);
    if (value === null) continue;
    if (topic.type === 'long' && (typeof value === 'number' || typeof value === 'bigint')) {
      const ms = BigInt(value) * FACTOR[synonym.unit];
      return topic.name === 'retention.ms' && ms < 0n ? -1n : ms;
    }
    return value;
  }
  return topic.defaultValue;
}

/** A topic config's broker-supplied value (its synonyms, in precedence order, in ms). */
function fromSynonymsOf(reader: BrokerConfigReader, topicName: string): bigint {
  const def = TOPIC_DEFS.get(topicName);
  assert(def !== undefined, `unknown topic config ${topicName}`);
  return valueFromSynonyms(reader, def) as bigint;
}

/** log.retention.ms ← .minutes ← .hours; negative means unlimited (-1). */
export function logRetentionMs(reader: BrokerConfigReader): bigint {
  return fromSynonymsOf(reader, 'retention.ms');
}

/** log.roll.ms ← log.roll.hours. */
export function logRollMs(reader: BrokerConfigReader): bigint {
  return fromSynonymsOf(reader, 'segment.ms');
}

/** log.roll.jitter.ms ← log.roll.jitter.hours. */
export function logRollJitterMs(reader: BrokerConfigReader): bigint {
  return fromSynonymsOf(reader, 'segment.jitter.ms');
}

/** log.flush.interval.ms ← log.flush.scheduler.interval.ms. */
export function logFlushIntervalMs(reader: BrokerConfigReader): bigint {
  return fromSynonymsOf(reader, 'flush.ms');
}

/** log.dirs, else log.dir, split on commas. */
export function logDirs(reader: BrokerConfigReader): string[] {
  return parseCsvList(reader.getString('log.dirs') ?? reader.getString('log.dir') ?? '');
}

/** metadata.log.dir, else the first log directory. */
export function metadataLogDir(reader: BrokerConfigReader): string | undefined {
  return reader.getString('metadata.log.dir') ?? logDirs(reader)[0];
}

/** offsets.retention.minutes in milliseconds. */
export function offsetsRetentionMs(reader: BrokerConfigReader): number {
  return reader.getInt('offsets.retention.minutes') * 60_000;
}
