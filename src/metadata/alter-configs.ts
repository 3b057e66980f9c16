import {
  type AlterConfigsRequest,
  type AlterConfigsResponse,
  ErrorCode,
  type IncrementalAlterConfigsRequest,
  type IncrementalAlterConfigsRequestAlterableConfig,
  type IncrementalAlterConfigsResponse,
} from '../protocol/index.js';
import { type ApiError, type ControllerContext, type ControllerResult, duplicates } from './controller-context.js';
import { type ConfigMap, ConfigResourceType, type MetadataImage, resourceConfigs } from './image.js';
import { type MetadataRecord, metadataRecord } from './records.js';

/**
 * IncrementalAlterConfigs and the legacy AlterConfigs for TOPIC and BROKER resources: each
 * resource's new configs are computed, checked by the injected ConfigPolicy (INVALID_CONFIG), and
 * every key whose value changes becomes a ConfigRecord (a null value deletes the key).
 */

/** IncrementalAlterConfigs operations. */
export const AlterConfigOp = { SET: 0, DELETE: 1, APPEND: 2, SUBTRACT: 3 } as const;

interface ResourceChange {
  resourceType: number;
  resourceName: string;
}

type Outcome = { ok: true; configs: ConfigMap } | { ok: false; error: ApiError };

function fail(code: number, message: string): Outcome {
  return { ok: false, error: { code, message } };
}

function checkResource(image: MetadataImage, type: number, name: string): ApiError | null {
  if (type === ConfigResourceType.TOPIC) {
    if (name === '') return { code: ErrorCode.INVALID_REQUEST, message: 'Default topic resources are not allowed.' };
    if (!image.topicsByName.has(name)) return { code: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, message: `The topic '${name}' does not exist.` };
    return null;
  }
  if (type === ConfigResourceType.BROKER) {
    if (name !== '' && !/^[0-9]+$/.test(name)) return { code: ErrorCode.INVALID_REQUEST, message: `Illegal non-integral BROKER resource type name: ${name}` };
    return null;
  }
  return { code: ErrorCode.INVALID_REQUEST, message: `Unexpected resource type ${type}` };
}

function listOf(value: string | undefined): string[] {
  return value === undefined || value === '' ? [] : value.split(',');
}

function applyOps(ctx: ControllerContext, type: ConfigResourceType, current: ConfigMap, ops: IncrementalAlterConfigsRequestAlterableConfig[]): Outcome {
  if (duplicates(ops.map((op) => op.name)).size > 0) return fail(ErrorCode.INVALID_REQUEST, 'Error due to duplicate config keys');
  const configs = new Map(current);
  for (const op of ops) {
    if (op.configOperation === AlterConfigOp.DELETE) {
      configs.delete(op.name);
      continue;
    }
    if (op.configOperation < AlterConfigOp.SET || op.configOperation > AlterConfigOp.SUBTRACT) {
      return fail(ErrorCode.INVALID_REQUEST, `Unknown operation type ${op.configOperation}`);
    }
    if (op.value === null) return fail(ErrorCode.INVALID_REQUEST, `Null value not supported for : ${op.name}`);
    if (op.configOperation === AlterConfigOp.SET) {
      configs.set(op.name, op.value);
      continue;
    }
    const verb = op.configOperation === AlterConfigOp.APPEND ? 'APPEND' : 'SUBTRACT';
    if (!ctx.configPolicy.isList(type, op.name)) return fail(ErrorCode.INVALID_CONFIG, `Can't ${verb} to key ${op.name} because its type is not LIST.`);
    const items = listOf(configs.get(op.name));
    const given = listOf(op.value);
    const next = verb === 'APPEND' ? [...items, ...given.filter((v) => !items.includes(v))] : items.filter((v) => !given.includes(v));
    configs.set(op.name, next.join(','));
  }
  return { ok: true, configs };
}

/** Checks the resource and the new configs; on success, the ConfigRecords of what changed. */
function alterResource(
  ctx: ControllerContext,
  image: MetadataImage,
  resource: ResourceChange,
  compute: (type: ConfigResourceType, current: ConfigMap) => Outcome,
): { error: ApiError; records: MetadataRecord[] } {
  const { resourceType, resourceName } = resource;
  const resourceError = checkResource(image, resourceType, resourceName);
  if (resourceError !== null) return { error: resourceError, records: [] };
  const type = resourceType as ConfigResourceType;
  const current = resourceConfigs(image, type, resourceName);
  const outcome = compute(type, current);
  if (!outcome.ok) return { error: outcome.error, records: [] };
  const message = ctx.configPolicy.validate(type, resourceName, outcome.configs);
  if (message !== null) return { error: { code: ErrorCode.INVALID_CONFIG, message }, records: [] };
  const records: MetadataRecord[] = [];
  const record = (name: string, value: string | null): void => {
    records.push(metadataRecord('ConfigRecord', { resourceType, resourceName, name, value }));
  };
  for (const name of current.keys()) if (!outcome.configs.has(name)) record(name, null);
  for (const [name, value] of outcome.configs) if (current.get(name) !== value) record(name, value);
  return { error: { code: ErrorCode.NONE, message: null }, records };
}

function alterAll<R extends ResourceChange>(
  ctx: ControllerContext,
  image: MetadataImage,
  resources: R[],
  validateOnly: boolean,
  compute: (resource: R, type: ConfigResourceType, current: ConfigMap) => Outcome,
): ControllerResult<{ throttleTimeMs: number; responses: { errorCode: number; errorMessage: string | null; resourceType: number; resourceName: string }[] }> {
  const key = (r: ResourceChange): string => `${r.resourceType}:${r.resourceName}`;
  const repeated = duplicates(resources.map(key));
  const records: MetadataRecord[] = [];
  const responses = resources.map((resource) => {
    const { resourceType, resourceName } = resource;
    const altered = repeated.has(key(resource))
      ? { error: { code: ErrorCode.INVALID_REQUEST, message: 'Error due to duplicate resource keys' }, records: [] }
      : alterResource(ctx, image, resource, (type, current) => compute(resource, type, current));
    records.push(...altered.records);
    return { errorCode: altered.error.code, errorMessage: altered.error.message, resourceType, resourceName };
  });
  return { records: validateOnly ? [] : records, result: { throttleTimeMs: 0, responses } };
}

export function incrementalAlterConfigs(
  ctx: ControllerContext,
  image: MetadataImage,
  request: IncrementalAlterConfigsRequest,
): ControllerResult<IncrementalAlterConfigsResponse> {
  return alterAll(ctx, image, request.resources, request.validateOnly, (resource, type, current) => applyOps(ctx, type, current, resource.configs));
}

/** The legacy AlterConfigs: the given configs replace all of the resource's configs. */
export function alterConfigs(ctx: ControllerContext, image: MetadataImage, request: AlterConfigsRequest): ControllerResult<AlterConfigsResponse> {
  return alterAll(ctx, image, request.resources, request.validateOnly, (resource) => {
    const configs = new Map<string, string>();
    for (const config of resource.configs) {
      if (config.value === null) return fail(ErrorCode.INVALID_REQUEST, `Null value not supported for : ${config.name}`);
      configs.set(config.name, config.value);
    }
    return { ok: true, configs };
  });
}
