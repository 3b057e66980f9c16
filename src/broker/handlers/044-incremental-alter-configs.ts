/**
 * IncrementalAlterConfigs (44): SET, DELETE, APPEND and SUBTRACT on a resource's stored configs.
 * Kafka's order of checks: a resource named twice, a key given twice and a null value (except
 * for DELETE) are INVALID_REQUEST (ConfigAdminManager.preprocess). A BROKER resource ("" = the
 * cluster-wide default, else this node's id) then has its id checked, the operations applied with
 * ConfigAdminManager's rules and the result validated like Kafka's dynamic broker config
 * (INVALID_REQUEST for read-only configs and bad values, INVALID_CONFIG for APPEND to a non-list).
 * A TOPIC resource has the operations applied with the controller's rules (a list op on a config
 * not set starts from its default), then its name, its configs (INVALID_CONFIG) and its existence
 * checked. The resources that pass are committed in one metadata operation as the SETs and
 * DELETEs that turn the stored configs into the new ones, unless validateOnly.
 */
import {
  ApiKey,
  type IncrementalAlterConfigsRequest,
  type IncrementalAlterConfigsRequestAlterableConfig,
  type IncrementalAlterConfigsRequestAlterConfigsResource,
  type IncrementalAlterConfigsResponse,
} from '../../protocol/index.js';
import { AlterConfigOp, applyBrokerOps, applyTopicOps, brokerResourceLayer, ConfigResourceType, validateTopicConfigs } from '../config/index.js';
import type { BrokerServices } from '../services.js';
import { allVersions, defineHandler } from './api-handler.js';
import {
  type ConfigOutcome,
  alterResources,
  checkBrokerConfigs,
  checkTopicExists,
  configShapeError,
  invalidRequest,
  storedConfigs,
  topicNameCheck,
  unsupportedType,
} from './033-alter-configs.js';

const KNOWN_OPS: ReadonlySet<number> = new Set(Object.values(AlterConfigOp));

function incrementalOutcome(services: BrokerServices, resource: IncrementalAlterConfigsRequestAlterConfigsResource): ConfigOutcome {
  const { resourceType, resourceName } = resource;
  const shape = configShapeError(resource.configs, (c) => c.configOperation === AlterConfigOp.DELETE);
  if (shape !== null) return shape;
  const ops = resource.configs.map((c) => ({ name: c.name, op: c.configOperation, value: c.value }));
  const unknownOp = ops.find((o) => !KNOWN_OPS.has(o.op));
  const image = services.metadata.image;
  switch (resourceType) {
    case ConfigResourceType.BROKER: {
      const layer = brokerResourceLayer(services.config, resourceName);
      if (typeof layer !== 'string') return { error: layer };
      if (unknownOp !== undefined) return invalidRequest(`Unknown operations type ${unknownOp.op}`);
      const applied = applyBrokerOps(storedConfigs(image, resource), ops);
      return applied.ok ? checkBrokerConfigs(services, resourceName, applied.configs) : { error: applied.error };
    }
    case ConfigResourceType.TOPIC: {
      if (unknownOp !== undefined) return invalidRequest(`Unknown operations type ${unknownOp.op}`);
      const applied = applyTopicOps(storedConfigs(image, resource), ops);
      if (!applied.ok) return { error: applied.error };
      const name = topicNameCheck(resourceName);
      if (name !== null) return name;
      const error = validateTopicConfigs(services.config, applied.configs);
      return error !== null ? { error } : checkTopicExists(image, resourceName, applied.configs);
    }
    case ConfigResourceType.BROKER_LOGGER:
      return invalidRequest('Unknown resource type BROKER_LOGGER');
    default:
      return unsupportedType(resourceType) ?? invalidRequest(`Unknown resource type ${resourceType}`);
  }
}

/** The SETs and DELETEs that turn `stored` into `next`. */
function diffOps(stored: ReadonlyMap<string, string>, next: ReadonlyMap<string, string>): IncrementalAlterConfigsRequestAlterableConfig[] {
  const ops: IncrementalAlterConfigsRequestAlterableConfig[] = [];
  for (const name of stored.keys()) {
    if (!next.has(name)) ops.push({ name, configOperation: AlterConfigOp.DELETE, value: null, _unknownTaggedFields: undefined });
  }
  for (const [name, value] of next) {
    if (stored.get(name) !== value) ops.push({ name, configOperation: AlterConfigOp.SET, value, _unknownTaggedFields: undefined });
  }
  return ops;
}

export const incrementalAlterConfigsHandler = defineHandler<IncrementalAlterConfigsRequest, IncrementalAlterConfigsResponse>({
  apiKey: ApiKey.IncrementalAlterConfigs,
  versions: allVersions(ApiKey.IncrementalAlterConfigs),
  async handle({ body, services }) {
    const stored = services.metadata.image;
    const responses = await alterResources(body.resources, body.validateOnly, (r) => incrementalOutcome(services, r), async (passed) => {
      const committed = await services.metadata.incrementalAlterConfigs({
        validateOnly: false,
        resources: passed.map(({ resource, configs }) => ({
          resourceType: resource.resourceType,
          resourceName: resource.resourceName,
          configs: diffOps(storedConfigs(stored, resource), configs),
          _unknownTaggedFields: undefined,
        })),
        _unknownTaggedFields: undefined,
      });
      return committed.responses.map((r) => ({ ...r, _unknownTaggedFields: undefined }));
    });
    return { throttleTimeMs: 0, responses, _unknownTaggedFields: undefined };
  },
});
