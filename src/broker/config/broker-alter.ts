/**
 * AlterConfigs and IncrementalAlterConfigs on broker resources, Kafka's way
 * (ConfigAdminManager + DynamicBrokerConfig): the empty name is the cluster-wide default, a
 * number must be this node's id; read-only configs, bare security configs, per-broker configs
 * at the cluster level and bad values all answer INVALID_REQUEST with Kafka's message; a list
 * operation on a non-list config answers INVALID_CONFIG. A valid change replaces the dynamic
 * layer unless validateOnly.
 */
import { ErrorCode } from '../../protocol/index.js';
import type { BrokerConfig, DynamicLayer } from './broker-config.js';
import { checkBrokerConfig } from './cross-checks.js';
import { LISTENER_ONLY_DYNAMIC } from './defs-broker-security.js';
import { type AlterableConfig, type ApiError, apiError, applyBrokerOps, checkRequestShape, NO_ERROR } from './incremental.js';
import { checkValue } from './parse-map.js';
import { BROKER_DEFS, isDynamicBrokerConfig, isPerBrokerConfig, lookupBrokerConfig } from './registry.js';
import { suggestBrokerConfig } from './suggest.js';

/** Scala's Set.toString, which Kafka's messages print. */
function scalaSet(names: readonly string[]): string {
  return `Set(${names.join(', ')})`;
}

function invalidRequest(message: string): ApiError {
  return apiError(ErrorCode.INVALID_REQUEST, message);
}

/** The layer a broker resource name addresses, or the error Kafka answers for the name. */
export function brokerResourceLayer(config: BrokerConfig, resourceName: string): DynamicLayer | ApiError {
  if (resourceName === '') return 'dynamic-default';
  if (!/^[+-]?\d+$/.test(resourceName) || Math.abs(Number(resourceName)) > 2147483647) {
    return invalidRequest(`Node id must be an integer, but it is: ${resourceName}`);
  }
  if (Number(resourceName) !== config.nodeId) {
    return invalidRequest(`Unexpected broker id, expected ${config.nodeId}, but received ${resourceName}`);
  }
  return 'dynamic-broker';
}

const THREAD_POOLS = ['num.io.threads', 'num.replica.fetchers', 'num.recovery.threads.per.data.dir', 'background.threads'];

function checkThreadCounts(current: BrokerConfig, next: BrokerConfig): ApiError | null {
  for (const name of THREAD_POOLS) {
    const oldValue = current.getInt(name);
    const newValue = next.getInt(name);
    if (newValue === oldValue) continue;
    const prefix = `Dynamic thread count update validation failed for ${name}=${newValue}`;
    if (newValue <= 0) return invalidRequest(`${prefix}, value should be at least 1`);
    if (newValue < Math.trunc(oldValue / 2)) return invalidRequest(`${prefix}, value should be at least half the current value ${oldValue}`);
    if (newValue > oldValue * 2) return invalidRequest(`${prefix}, value should not be greater than double the current value ${oldValue}`);
  }
  const oldCleaners = current.getInt('log.cleaner.threads');
  const newCleaners = next.getInt('log.cleaner.threads');
  if (newCleaners === oldCleaners) return null;
  if (newCleaners < 1) return invalidRequest('Log cleaner threads should be at least 1');
  if (newCleaners < Math.trunc(oldCleaners / 2)) return invalidRequest(`Log cleaner threads cannot be reduced to less than half the current value ${oldCleaners}`);
  if (newCleaners > oldCleaners * 2) return invalidRequest(`Log cleaner threads cannot be increased to more than double the current value ${oldCleaners}`);
  return null;
}

/** Checks a complete new dynamic layer; returns the config it would produce, or the error. */
export function validateBrokerLayer(
  config: BrokerConfig,
  layer: DynamicLayer,
  props: ReadonlyMap<string, string>,
): { readonly error: ApiError; readonly next?: undefined } | { readonly error: null; readonly next: BrokerConfig } {
  const names = [...props.keys()];
  const readOnly = names.filter((n) => BROKER_DEFS.has(n) && !isDynamicBrokerConfig(n));
  if (readOnly.length > 0) return { error: invalidRequest(`Cannot update these configs dynamically: ${scalaSet(readOnly)}`) };
  const unknown = names.find((n) => lookupBrokerConfig(n) === null);
  if (unknown !== undefined && !config.allowUnknown) {
    const suggestion = suggestBrokerConfig(unknown);
    const hint = suggestion === undefined ? '' : ` (did you mean ${suggestion}?)`;
    return { error: apiError(ErrorCode.INVALID_CONFIG, `Unknown broker config name: ${unknown}${hint}`) };
  }
  const bareSecurity = names.filter((n) => LISTENER_ONLY_DYNAMIC.has(n));
  if (bareSecurity.length > 0) {
    return { error: invalidRequest(`These security configs can be dynamically updated only per-listener using the listener prefix: ${scalaSet(bareSecurity)}`) };
  }
  for (const [name, raw] of props) {
    const def = lookupBrokerConfig(name)?.def;
    if (def === undefined) continue;
    const checked = checkValue(name, def, raw);
    if (!checked.ok) return { error: invalidRequest(checked.message) };
  }
  if (layer === 'dynamic-default') {
    const perBroker = names.filter(isPerBrokerConfig);
    if (perBroker.length > 0) {
      return { error: invalidRequest(`Cannot update these configs at default cluster level, broker id must be specified: ${scalaSet(perBroker)}`) };
    }
  }
  const next = config.withDynamicLayer(layer, props);
  const before = new Set(checkBrokerConfig(config).map((p) => p.reason));
  const problem = checkBrokerConfig(next).find((p) => !before.has(p.reason));
  if (problem !== undefined) return { error: invalidRequest(problem.reason) };
  const threads = checkThreadCounts(config, next);
  return threads === null ? { error: null, next } : { error: threads };
}

function commit(config: BrokerConfig, layer: DynamicLayer, props: ReadonlyMap<string, string>, validateOnly: boolean): ApiError {
  const result = validateBrokerLayer(config, layer, props);
  if (result.error !== null) return result.error;
  if (!validateOnly) config.setDynamicLayer(layer, props);
  return NO_ERROR;
}

/** IncrementalAlterConfigs on a broker resource ("" = cluster default, else this node's id). */
export function incrementalAlterBroker(
  config: BrokerConfig,
  resourceName: string,
  ops: readonly AlterableConfig[],
  validateOnly = false,
): ApiError {
  const shape = checkRequestShape(ops, true);
  if (shape !== null) return shape;
  const layer = brokerResourceLayer(config, resourceName);
  if (typeof layer !== 'string') return layer;
  const applied = applyBrokerOps(config.layer(layer), ops);
  if (!applied.ok) return applied.error;
  return commit(config, layer, applied.configs, validateOnly);
}

/** AlterConfigs (legacy) on a broker resource: the given configs replace the whole layer. */
export function alterBroker(
  config: BrokerConfig,
  resourceName: string,
  configs: readonly { readonly name: string; readonly value: string | null }[],
  validateOnly = false,
): ApiError {
  const shape = checkRequestShape(configs.map((c) => ({ ...c, op: 0 })), false);
  if (shape !== null) return shape;
  const layer = brokerResourceLayer(config, resourceName);
  if (typeof layer !== 'string') return layer;
  return commit(config, layer, new Map(configs.map((c) => [c.name, c.value ?? ''] as const)), validateOnly);
}
