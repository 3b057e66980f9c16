/**
 * The shapes of the config layer: a definition per config name (Kafka's ConfigDef.ConfigKey
 * without the documentation), the typed values, and Kafka's numeric ids that go on the wire
 * (DescribeConfigs config sources and config types, IncrementalAlterConfigs operations).
 */

/** Kafka's ConfigDef.Type. */
export type ConfigType = 'boolean' | 'short' | 'int' | 'long' | 'double' | 'string' | 'list' | 'class' | 'password';

/**
 * A parsed value. boolean → boolean; short, int, double → number; long → bigint (Kafka's longs
 * reach Long.MAX_VALUE, past what a number holds exactly); string, class, password → string;
 * list → string[]. null is Kafka's "no value" (a config whose default is null and that is unset).
 */
export type ConfigValue = boolean | number | bigint | string | readonly string[] | null;

/** Kafka's "Dynamic Update Mode" column of the broker config docs. */
export type UpdateMode = 'read-only' | 'per-broker' | 'cluster-wide';

/** Why a validator refused a value; `shown` replaces the value in the message (a list element). */
export interface ValidationFailure {
  readonly reason: string;
  readonly shown?: string;
}

/** A value check with Kafka's wording for refusals. */
export interface Validator {
  /** How Kafka prints the valid values, e.g. "[1,...]" or "[compact, delete]". */
  readonly text: string;
  check(value: ConfigValue): ValidationFailure | null;
}

/** One broker config. */
export interface BrokerConfigDef {
  readonly name: string;
  readonly type: ConfigType;
  /** The default in parsed form; null when Kafka's default is null. */
  readonly defaultValue: ConfigValue;
  readonly validator?: Validator;
  readonly mode: UpdateMode;
}

/**
 * A broker config a topic config falls back to, with the unit it is written in. Kafka converts
 * minutes and hours to milliseconds (log.retention.hours → retention.ms).
 */
export interface BrokerSynonym {
  readonly name: string;
  readonly unit: 'same' | 'minutes' | 'hours';
}

/** One topic config. */
export interface TopicConfigDef {
  readonly name: string;
  readonly type: ConfigType;
  readonly defaultValue: ConfigValue;
  readonly validator?: Validator;
  /** Broker configs that supply the topic's default, in Kafka's precedence; empty if none. */
  readonly brokerSynonyms: readonly BrokerSynonym[];
}

export type ConfigDef = BrokerConfigDef | TopicConfigDef;

/** Kafka's DescribeConfigsResponse.ConfigSource ids. */
export const ConfigSource = {
  UNKNOWN: 0,
  DYNAMIC_TOPIC_CONFIG: 1,
  DYNAMIC_BROKER_CONFIG: 2,
  DYNAMIC_DEFAULT_BROKER_CONFIG: 3,
  STATIC_BROKER_CONFIG: 4,
  DEFAULT_CONFIG: 5,
  DYNAMIC_BROKER_LOGGER_CONFIG: 6,
  CLIENT_METRICS_CONFIG: 7,
  GROUP_CONFIG: 8,
} as const;
export type ConfigSourceId = (typeof ConfigSource)[keyof typeof ConfigSource];

/** Kafka's DescribeConfigsResponse.ConfigType ids (DescribeConfigs v3+). */
export const ConfigTypeId = {
  UNKNOWN: 0,
  BOOLEAN: 1,
  STRING: 2,
  INT: 3,
  SHORT: 4,
  LONG: 5,
  DOUBLE: 6,
  LIST: 7,
  CLASS: 8,
  PASSWORD: 9,
} as const;
export type ConfigTypeIdValue = (typeof ConfigTypeId)[keyof typeof ConfigTypeId];

export function configTypeId(type: ConfigType | undefined): ConfigTypeIdValue {
  switch (type) {
    case 'boolean': return ConfigTypeId.BOOLEAN;
    case 'string': return ConfigTypeId.STRING;
    case 'int': return ConfigTypeId.INT;
    case 'short': return ConfigTypeId.SHORT;
    case 'long': return ConfigTypeId.LONG;
    case 'double': return ConfigTypeId.DOUBLE;
    case 'list': return ConfigTypeId.LIST;
    case 'class': return ConfigTypeId.CLASS;
    case 'password': return ConfigTypeId.PASSWORD;
    default: return ConfigTypeId.UNKNOWN;
  }
}

/** Kafka's AlterConfigOp.OpType ids, used by IncrementalAlterConfigs. */
export const AlterConfigOp = {
  SET: 0,
  DELETE: 1,
  APPEND: 2,
  SUBTRACT: 3,
} as const;
export type AlterConfigOpId = (typeof AlterConfigOp)[keyof typeof AlterConfigOp];

/** Kafka's ConfigResource.Type ids. */
export const ConfigResourceType = {
  UNKNOWN: 0,
  TOPIC: 2,
  BROKER: 4,
  BROKER_LOGGER: 8,
  CLIENT_METRICS: 16,
  GROUP: 32,
} as const;

/** Kafka's Long.MAX_VALUE and Integer.MAX_VALUE, the "no limit" defaults. */
export const LONG_MAX = 9223372036854775807n;
export const LONG_MIN = -9223372036854775808n;
export const INT_MAX = 2147483647;

/** Read access to a broker's effective configuration (implemented by BrokerConfig). */
export interface BrokerConfigReader {
  /** The effective typed value; null for an unset config whose default is null. */
  get(name: string): ConfigValue;
  getInt(name: string): number;
  getLong(name: string): bigint;
  getBoolean(name: string): boolean;
  getString(name: string): string | null;
  getList(name: string): readonly string[];
  getOptionalLong(name: string): bigint | null;
  getOptionalInt(name: string): number | null;
}
