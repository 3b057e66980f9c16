/**
 * Configs of topics and brokers: DescribeConfigs, AlterConfigs (replace all dynamic values) and
 * IncrementalAlterConfigs (set, delete, append, subtract one value at a time). Broker resources
 * go to that broker; topic resources to any broker.
 */
import {
  type AlterConfigsResponse, ApiKey, type DescribeConfigsResponse, type IncrementalAlterConfigsResponse,
} from '../../protocol/index.js';
import type { Cluster } from '../cluster.js';
import type { Connection } from '../connection.js';
import { KafkaResponseError } from '../errors.js';

export type ConfigResourceType = 'topic' | 'broker' | 'broker-logger';
const RESOURCE_TYPE: Record<ConfigResourceType, number> = { topic: 2, broker: 4, 'broker-logger': 8 };
const SOURCES = [
  'UNKNOWN', 'DYNAMIC_TOPIC_CONFIG', 'DYNAMIC_BROKER_CONFIG', 'DYNAMIC_DEFAULT_BROKER_CONFIG', 'STATIC_BROKER_CONFIG', 'DEFAULT_CONFIG',
  'DYNAMIC_BROKER_LOGGER_CONFIG', 'CLIENT_METRICS_CONFIG', 'GROUP_CONFIG',
] as const;
const OPS = { set: 0, delete: 1, append: 2, subtract: 3 } as const;

export interface ConfigResource {
  readonly type: ConfigResourceType;
  readonly name: string;
}

export interface ConfigEntry {
  readonly name: string;
  readonly value: string | null;
  readonly source: string;
  readonly isReadOnly: boolean;
  readonly isSensitive: boolean;
  readonly isDefault: boolean;
  readonly synonyms: ReadonlyArray<{ name: string; value: string | null; source: string }>;
  readonly documentation: string | null;
}

export interface DescribedConfigs extends ConfigResource {
  readonly entries: readonly ConfigEntry[];
}

function connectionFor(cluster: Cluster, r: ConfigResource): Promise<Connection> {
  if (r.type !== 'topic' && /^\d+$/.test(r.name)) return cluster.connectionTo(Number(r.name));
  return cluster.anyConnection();
}

function check(errorCode: number, errorMessage: string | null, what: string): void {
  if (errorCode !== 0) throw new KafkaResponseError(errorCode, what, errorMessage);
}

export async function describeConfigs(
  cluster: Cluster, resources: ReadonlyArray<ConfigResource & { configNames?: readonly string[] }>,
  options: { includeSynonyms?: boolean; includeDocumentation?: boolean } = {},
): Promise<DescribedConfigs[]> {
  return Promise.all(resources.map((res) => cluster.retry(async () => {
    const conn = await connectionFor(cluster, res);
    const r = await conn.send<DescribeConfigsResponse>(ApiKey.DescribeConfigs, conn.versionFor(ApiKey.DescribeConfigs), {
      resources: [{ resourceType: RESOURCE_TYPE[res.type], resourceName: res.name, configurationKeys: res.configNames ? [...res.configNames] : null }],
      includeSynonyms: options.includeSynonyms ?? false, includeDocumentation: options.includeDocumentation ?? false,
    });
    const result = r.results[0]!;
    check(result.errorCode, result.errorMessage, `DescribeConfigs ${res.type} '${res.name}'`);
    return {
      type: res.type, name: res.name,
      entries: result.configs.map((c) => ({
        name: c.name, value: c.value, source: SOURCES[c.configSource] ?? 'UNKNOWN', isReadOnly: c.readOnly, isSensitive: c.isSensitive,
        isDefault: c.isDefault || c.configSource === 5,
        synonyms: c.synonyms.map((s) => ({ name: s.name, value: s.value, source: SOURCES[s.source] ?? 'UNKNOWN' })),
        documentation: c.documentation,
      })),
    };
  })));
}

export async function alterConfigs(
  cluster: Cluster, resources: ReadonlyArray<ConfigResource & { configs: Readonly<Record<string, string>> }>, options: { validateOnly?: boolean } = {},
): Promise<void> {
  await Promise.all(resources.map((res) => cluster.retry(async () => {
    const conn = await connectionFor(cluster, res);
    const r = await conn.send<AlterConfigsResponse>(ApiKey.AlterConfigs, conn.versionFor(ApiKey.AlterConfigs), {
      resources: [{ resourceType: RESOURCE_TYPE[res.type], resourceName: res.name, configs: Object.entries(res.configs).map(([name, value]) => ({ name, value })) }],
      validateOnly: options.validateOnly ?? false,
    });
    for (const x of r.responses) check(x.errorCode, x.errorMessage, `AlterConfigs ${res.type} '${res.name}'`);
  })));
}

export interface ConfigOperation {
  readonly name: string;
  readonly op: keyof typeof OPS;
  readonly value?: string | null;
}

export async function incrementalAlterConfigs(
  cluster: Cluster, resources: ReadonlyArray<ConfigResource & { ops: readonly ConfigOperation[] }>, options: { validateOnly?: boolean } = {},
): Promise<void> {
  await Promise.all(resources.map((res) => cluster.retry(async () => {
    const conn = await connectionFor(cluster, res);
    const r = await conn.send<IncrementalAlterConfigsResponse>(ApiKey.IncrementalAlterConfigs, conn.versionFor(ApiKey.IncrementalAlterConfigs), {
      resources: [{
        resourceType: RESOURCE_TYPE[res.type], resourceName: res.name,
        configs: res.ops.map((o) => ({ name: o.name, configOperation: OPS[o.op], value: o.value ?? null })),
      }],
      validateOnly: options.validateOnly ?? false,
    });
    for (const x of r.responses) check(x.errorCode, x.errorMessage, `IncrementalAlterConfigs ${res.type} '${res.name}'`);
  })));
}
