/**
 * DescribeConfigs (32), answered by this broker from its live config and the metadata image
 * (Kafka's ConfigHelper): a TOPIC resource describes every topic config with its override or
 * broker default, a BROKER resource this node (its id) or the cluster-wide dynamic defaults ("").
 * Values, sources, synonyms (v1+, when asked), read-only and sensitive flags, and config types
 * (v3+) come from the config layer; documentation is always null. v0 carries IsDefault instead of
 * a source: true when the value is the built-in default.
 *
 * A resource type Kafka does not know fails the whole request, as Kafka's authorization step
 * does; BROKER_LOGGER and GROUP resources are not supported here and answer Kafka's "Unsupported
 * resource type"; a CLIENT_METRICS subscription has no configs (none can be stored yet).
 */
import {
  ApiKey,
  type DescribeConfigsRequest,
  type DescribeConfigsRequestDescribeConfigsResource,
  type DescribeConfigsResponse,
  type DescribeConfigsResponseDescribeConfigsResourceResult,
  type DescribeConfigsResponseDescribeConfigsResult,
  ErrorCode,
} from '../../protocol/index.js';
import { topicNameError } from '../../metadata/index.js';
import {
  type DescribeConfigsEntry,
  type DescribeOptions,
  type DescribeResult,
  ConfigResourceType,
  describeBrokerResource,
  describeTopicResource,
} from '../config/index.js';
import type { BrokerServices } from '../services.js';
import { allVersions, defineHandler } from './api-handler.js';

/** The types Kafka's DescribeConfigs accepts; any other fails the request. */
const KNOWN_TYPES: ReadonlySet<number> = new Set([
  ConfigResourceType.TOPIC,
  ConfigResourceType.BROKER,
  ConfigResourceType.BROKER_LOGGER,
  ConfigResourceType.CLIENT_METRICS,
  ConfigResourceType.GROUP,
]);

/** Errors.INVALID_REQUEST's default message, which Kafka puts in a whole-request error response. */
const INVALID_REQUEST_MESSAGE = 'This most likely occurs because of a request being malformed by the client library '
  + 'or the message was sent to an incompatible broker. See the broker logs for more details.';

function failed(errorCode: number, errorMessage: string | null): DescribeResult {
  return { errorCode, errorMessage, configs: [] };
}

function describeResource(services: BrokerServices, resource: DescribeConfigsRequestDescribeConfigsResource, options: DescribeOptions): DescribeResult {
  const { resourceType, resourceName } = resource;
  const { config } = services;
  switch (resourceType) {
    case ConfigResourceType.TOPIC: {
      const invalid = topicNameError(resourceName);
      if (invalid !== null) return failed(ErrorCode.INVALID_TOPIC_EXCEPTION, invalid);
      const image = services.metadata.image;
      const overrides = image.topicsByName.has(resourceName) ? (image.topicConfigs.get(resourceName) ?? new Map<string, string>()) : undefined;
      return describeTopicResource(config, overrides, options);
    }
    case ConfigResourceType.BROKER:
      return describeBrokerResource(config, resourceName, options);
    case ConfigResourceType.CLIENT_METRICS:
      if (resourceName === '') return failed(ErrorCode.INVALID_REQUEST, 'Client metrics subscription name must not be empty');
      return { errorCode: ErrorCode.NONE, errorMessage: null, configs: [] };
    case ConfigResourceType.BROKER_LOGGER:
      return failed(ErrorCode.INVALID_REQUEST, 'Unsupported resource type: BROKER_LOGGER');
    default:
      return failed(ErrorCode.INVALID_REQUEST, 'Unsupported resource type: GROUP');
  }
}

function toWire(entry: DescribeConfigsEntry): DescribeConfigsResponseDescribeConfigsResourceResult {
  return {
    name: entry.name,
    value: entry.value,
    readOnly: entry.readOnly,
    isDefault: entry.isDefault,
    configSource: entry.source,
    isSensitive: entry.isSensitive,
    synonyms: entry.synonyms.map((s) => ({ name: s.name, value: s.value, source: s.source, _unknownTaggedFields: undefined })),
    configType: entry.configType,
    documentation: null,
    _unknownTaggedFields: undefined,
  };
}

export const describeConfigsHandler = defineHandler<DescribeConfigsRequest, DescribeConfigsResponse>({
  apiKey: ApiKey.DescribeConfigs,
  versions: allVersions(ApiKey.DescribeConfigs),
  handle({ body, apiVersion, services }) {
    const answer = (result: (r: DescribeConfigsRequestDescribeConfigsResource) => DescribeResult): DescribeConfigsResponse => ({
      throttleTimeMs: 0,
      results: body.resources.map((r): DescribeConfigsResponseDescribeConfigsResult => {
        const { errorCode, errorMessage, configs } = result(r);
        return { errorCode, errorMessage, resourceType: r.resourceType, resourceName: r.resourceName, configs: configs.map(toWire), _unknownTaggedFields: undefined };
      }),
      _unknownTaggedFields: undefined,
    });
    if (body.resources.some((r) => !KNOWN_TYPES.has(r.resourceType))) {
      return answer(() => failed(ErrorCode.INVALID_REQUEST, INVALID_REQUEST_MESSAGE));
    }
    const includeSynonyms = apiVersion >= 1 && body.includeSynonyms;
    return answer((r) => describeResource(services, r, { keys: r.configurationKeys, includeSynonyms }));
  },
});
