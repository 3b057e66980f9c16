/**
 * IncrementalAlterConfigs operations (SET 0, DELETE 1, APPEND 2, SUBTRACT 3) applied to a
 * resource's stored configs, and the request checks Kafka makes before anything else (one
 * entry per name, no null values except for DELETE). Topics follow the controller's rules
 * (ConfigurationControlManager); broker resources those of ConfigAdminManager, whose list
 * handling and messages differ slightly.
 */
import { ErrorCode } from '../../protocol/index.js';
import { lookupBrokerConfig, TOPIC_DEFS } from './registry.js';
import { type AlterConfigOpId, type ConfigDef, AlterConfigOp } from './types.js';
import { formatValue } from './values.js';

/** One requested change (IncrementalAlterConfigs' AlterableConfig). */
export interface AlterableConfig {
  readonly name: string;
  readonly op: AlterConfigOpId | number;
  readonly value: string | null;
}

/** A per-resource result: Kafka's error code and message (NONE and null on success). */
export interface ApiError {
  readonly errorCode: number;
  readonly errorMessage: string | null;
}

export const NO_ERROR: ApiError = { errorCode: ErrorCode.NONE, errorMessage: null };

export function apiError(errorCode: number, errorMessage: string): ApiError {
  return { errorCode, errorMessage };
}

const OP_NAMES = ['SET', 'DELETE', 'APPEND', 'SUBTRACT'];

/** Duplicate names and null values: INVALID_REQUEST before any config is looked at. */
export function checkRequestShape(configs: readonly AlterableConfig[], incremental: boolean): ApiError | null {
  if (new Set(configs.map((c) => c.name)).size !== configs.length) {
    return apiError(ErrorCode.INVALID_REQUEST, 'Error due to duplicate config keys');
  }
  const nulls = configs.filter((c) => c.value === null && (!incremental || c.op !== AlterConfigOp.DELETE)).map((c) => c.name);
  if (nulls.length > 0) return apiError(ErrorCode.INVALID_REQUEST, `Null value not supported for : ${nulls.join(', ')}`);
  const unknownOp = configs.find((c) => !(c.op in OP_NAMES));
  if (incremental && unknownOp !== undefined) {
    return apiError(ErrorCode.INVALID_REQUEST, `Unknown operations type ${unknownOp.op}`);
  }
  return null;
}

/** Java's String.split(","): trailing empty strings dropped. */
function javaSplit(text: string): string[] {
  const parts = text.split(',');
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

function defaultText(def: ConfigDef | undefined): string | null {
  return def === undefined ? null : formatValue(def.defaultValue, def.type);
}

export type IncrementalResult = { readonly ok: true; readonly configs: Map<string, string> } | { readonly ok: false; readonly error: ApiError };

/** Applies topic operations with the controller's rules. */
export function applyTopicOps(current: ReadonlyMap<string, string>, ops: readonly AlterableConfig[]): IncrementalResult {
  const configs = new Map(current);
  for (const { name, op, value } of ops) {
    if (op === AlterConfigOp.SET) configs.set(name, value ?? '');
    else if (op === AlterConfigOp.DELETE) configs.delete(name);
    else {
      const def = TOPIC_DEFS.get(name);
      if (def?.type !== 'list') {
        return { ok: false, error: apiError(ErrorCode.INVALID_CONFIG, `Can't ${OP_NAMES[op]} to key ${name} because its type is not LIST.`) };
      }
      const parts = javaSplit(configs.get(name) ?? defaultText(def) ?? '').filter((p) => p !== '');
      for (const item of javaSplit(value ?? '')) {
        if (op === AlterConfigOp.APPEND && !parts.includes(item)) parts.push(item);
        if (op === AlterConfigOp.SUBTRACT && parts.includes(item)) parts.splice(parts.indexOf(item), 1);
      }
      configs.set(name, parts.join(','));
    }
  }
  return { ok: true, configs };
}

/** Applies broker operations with ConfigAdminManager.prepareIncrementalConfigs' rules. */
export function applyBrokerOps(current: ReadonlyMap<string, string>, ops: readonly AlterableConfig[]): IncrementalResult {
  const configs = new Map(current);
  for (const { name, op, value } of ops) {
    if (op === AlterConfigOp.SET) configs.set(name, value ?? '');
    else if (op === AlterConfigOp.DELETE) configs.delete(name);
    else {
      const def = lookupBrokerConfig(name)?.def;
      if (def === undefined) return { ok: false, error: apiError(ErrorCode.INVALID_CONFIG, `Unknown config name: ${name}`) };
      if (def.type !== 'list') {
        const verb = op === AlterConfigOp.APPEND ? 'append' : 'subtract';
        return { ok: false, error: apiError(ErrorCode.INVALID_CONFIG, `Config value ${verb} is not allowed for config key: ${name}`) };
      }
      const oldText = configs.get(name) ?? defaultText(def) ?? '';
      const changes = javaSplit(value ?? '');
      let parts: string[];
      if (op === AlterConfigOp.APPEND) {
        parts = oldText === '' ? [] : javaSplit(oldText);
        parts.push(...changes.filter((c) => !parts.includes(c)));
      } else {
        parts = javaSplit(oldText);
        for (const c of changes) if (parts.includes(c)) parts.splice(parts.indexOf(c), 1);
      }
      configs.set(name, parts.join(','));
    }
  }
  return { ok: true, configs };
}
