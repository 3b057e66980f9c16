/**
 * AlterConfigs (33), the legacy API: each resource's given configs replace all of its stored
 * overrides. Kafka's order of checks (ConfigAdminManager.preprocess on the broker, then the
 * controller's ConfigurationControlManager): a resource named twice, a key given twice and a null
 * value are INVALID_REQUEST; a BROKER resource ("" = the cluster-wide default, else this node's
 * id) is validated by the config layer (INVALID_REQUEST for read-only configs and bad values); a
 * TOPIC resource's name, then its configs (INVALID_CONFIG), then its existence are checked.
 * Everything that passes is committed as ConfigRecords in one metadata operation, unless
 * validateOnly; DynamicConfigSync and LogSync then apply them to the running broker and its logs.
 *
 * The shared steps (duplicate checks, topic checks, answering in request order) are exported for
 * IncrementalAlterConfigs (044).
 */
import {
  type AlterConfigsRequest,
  type AlterConfigsRequestAlterConfigsResource,
  type AlterConfigsResponse,
  ApiKey,
  ErrorCode,
} from '../../protocol/index.js';
import { type MetadataImage, topicNameError } from '../../metadata/index.js';
import { type ApiError, brokerResourceLayer, ConfigResourceType, validateBrokerLayer, validateTopicConfigs } from '../config/index.js';
import type { BrokerServices } from '../services.js';
import { allVersions, defineHandler } from './api-handler.js';

export interface ConfigResourceRef {
  readonly resourceType: number;
  readonly resourceName: string;
}

/** A resource's fate: an error, or the complete set of configs it will have. */
export type ConfigOutcome = { readonly error: ApiError } | { readonly error: null; readonly configs: ReadonlyMap<string, string> };

/** One entry of either API's response. */
export interface ResourceAnswer extends ConfigResourceRef {
  errorCode: number;
  errorMessage: string | null;
  _unknownTaggedFields: undefined;
}

export function invalidRequest(message: string): { readonly error: ApiError } {
  return { error: { errorCode: ErrorCode.INVALID_REQUEST, errorMessage: message } };
}

/** Resource types neither API can store here (Kafka's controller would); `Unknown resource type` like an older controller. */
export function unsupportedType(resourceType: number): { readonly error: ApiError } | null {
  if (resourceType === ConfigResourceType.CLIENT_METRICS) return invalidRequest('Unknown resource type CLIENT_METRICS');
  if (resourceType === ConfigResourceType.GROUP) return invalidRequest('Unknown resource type GROUP');
  return null;
}

/** ConfigAdminManager.preprocess: each key once; null values only where `nullAllowed`. */
export function configShapeError<C extends { readonly name: string; readonly value: string | null }>(
  configs: readonly C[],
  nullAllowed: (c: C) => boolean,
): { readonly error: ApiError } | null {
  if (new Set(configs.map((c) => c.name)).size !== configs.length) return invalidRequest('Error due to duplicate config keys');
  const nulls = configs.filter((c) => c.value === null && !nullAllowed(c)).map((c) => c.name);
  return nulls.length === 0 ? null : invalidRequest(`Null value not supported for : ${nulls.join(', ')}`);
}

/** ControllerConfigurationValidator's topic name check (Kafka's Topic.validate). */
export function topicNameCheck(name: string): { readonly error: ApiError } | null {
  if (name === '') return invalidRequest('Default topic resources are not allowed.');
  const invalid = topicNameError(name);
  return invalid === null ? null : { error: { errorCode: ErrorCode.INVALID_TOPIC_EXCEPTION, errorMessage: invalid } };
}

/** The controller's existence check, made after the configs were validated. */
export function checkTopicExists(image: MetadataImage, name: string, configs: ReadonlyMap<string, string>): ConfigOutcome {
  if (image.topicsByName.has(name)) return { error: null, configs };
  return { error: { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: `The topic '${name}' does not exist.` } };
}

/** The stored configs of a TOPIC or BROKER resource in the image. */
export function storedConfigs(image: MetadataImage, resource: ConfigResourceRef): ReadonlyMap<string, string> {
  const byName = resource.resourceType === ConfigResourceType.TOPIC ? image.topicConfigs : image.brokerConfigs;
  return byName.get(resource.resourceName) ?? new Map<string, string>();
}

/** A BROKER resource's new configs, checked against this node's config like Kafka's dynamic config. */
export function checkBrokerConfigs(services: BrokerServices, resourceName: string, configs: ReadonlyMap<string, string>): ConfigOutcome {
  const layer = brokerResourceLayer(services.config, resourceName);
  if (typeof layer !== 'string') return { error: layer };
  const checked = validateBrokerLayer(services.config, layer, configs);
  return checked.error === null ? { error: null, configs } : { error: checked.error };
}

const key = (r: ConfigResourceRef): string => `${r.resourceType}:${r.resourceName}`;

/**
 * Runs `outcomeOf` for every resource named once, commits the resources that passed in one
 * metadata operation (unless validateOnly) and answers in request order.
 */
export async function alterResources<R extends ConfigResourceRef>(
  resources: readonly R[],
  validateOnly: boolean,
  outcomeOf: (resource: R) => ConfigOutcome,
  commit: (passed: readonly { resource: R; configs: ReadonlyMap<string, string> }[]) => Promise<readonly ResourceAnswer[]>,
): Promise<ResourceAnswer[]> {
  const seen = new Map<string, number>();
  for (const r of resources) seen.set(key(r), (seen.get(key(r)) ?? 0) + 1);
  const outcomes = resources.map((r) => ((seen.get(key(r)) ?? 0) > 1 ? invalidRequest('Each resource must appear at most once.') : outcomeOf(r)));
  const passed = resources.flatMap((resource, i) => {
    const outcome = outcomes[i]!;
    return outcome.error === null ? [{ resource, configs: outcome.configs }] : [];
  });
  const committed = new Map<string, ResourceAnswer>();
  if (!validateOnly && passed.length > 0) for (const answer of await commit(passed)) committed.set(key(answer), answer);
  return resources.map((r, i) => {
    // Kafka answers UNKNOWN_SERVER_ERROR for a resource the controller did not answer for.
    const notCommitted: ApiError = { errorCode: validateOnly ? ErrorCode.NONE : ErrorCode.UNKNOWN_SERVER_ERROR, errorMessage: null };
    const { errorCode, errorMessage } = outcomes[i]!.error ?? committed.get(key(r)) ?? notCommitted;
    return { errorCode, errorMessage, resourceType: r.resourceType, resourceName: r.resourceName, _unknownTaggedFields: undefined };
  });
}

function legacyOutcome(services: BrokerServices, resource: AlterConfigsRequestAlterConfigsResource): ConfigOutcome {
  const shape = configShapeError(resource.configs, () => false);
  if (shape !== null) return shape;
  const configs = new Map(resource.configs.map((c) => [c.name, c.value ?? ''] as const));
  switch (resource.resourceType) {
    case ConfigResourceType.BROKER:
      return checkBrokerConfigs(services, resource.resourceName, configs);
    case ConfigResourceType.TOPIC: {
      const name = topicNameCheck(resource.resourceName);
      if (name !== null) return name;
      const error = validateTopicConfigs(services.config, configs);
      return error !== null ? { error } : checkTopicExists(services.metadata.image, resource.resourceName, configs);
    }
    default:
      return unsupportedType(resource.resourceType) ?? invalidRequest(`Unknown resource type ${resource.resourceType}`);
  }
}

export const alterConfigsHandler = defineHandler<AlterConfigsRequest, AlterConfigsResponse>({
  apiKey: ApiKey.AlterConfigs,
  versions: allVersions(ApiKey.AlterConfigs),
  async handle({ body, services }) {
    const responses = await alterResources(body.resources, body.validateOnly, (r) => legacyOutcome(services, r), async (passed) => {
      const committed = await services.metadata.alterConfigs({
        validateOnly: false,
        resources: passed.map(({ resource, configs }) => ({
          resourceType: resource.resourceType,
          resourceName: resource.resourceName,
          configs: [...configs].map(([name, value]) => ({ name, value, _unknownTaggedFields: undefined })),
          _unknownTaggedFields: undefined,
        })),
        _unknownTaggedFields: undefined,
      });
      return committed.responses.map((r) => ({ ...r, _unknownTaggedFields: undefined }));
    });
    return { throttleTimeMs: 0, responses, _unknownTaggedFields: undefined };
  },
});
