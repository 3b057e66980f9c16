/**
 * ApiVersions (18): the APIs and versions this broker serves, computed from the handler
 * registry, plus the finalized features. An unknown request version is answered at v0 with
 * UNSUPPORTED_VERSION and only ApiVersions' own range (KIP-511), so the client can retry.
 */
import { ApiKey, ErrorCode, type ApiVersionsRequest, type ApiVersionsResponse, ApiVersionsResponse as Codec, encodeResponseFrame } from '../../protocol/index.js';
import { defineHandler } from './api-handler.js';

const VERSIONS = { min: 0, max: 4 };
/** Kafka's pattern for client software names and versions (KIP-511). */
const SOFTWARE_PATTERN = /^[a-zA-Z0-9](?:[a-zA-Z0-9\-.]*[a-zA-Z0-9])?$/;

export const apiVersionsHandler = defineHandler<ApiVersionsRequest | undefined, ApiVersionsResponse>({
  apiKey: ApiKey.ApiVersions,
  versions: VERSIONS,
  handle({ request, body, apiVersion, services }) {
    const response = Codec.defaults();
    if (body === undefined || apiVersion > VERSIONS.max) {
      response.errorCode = ErrorCode.UNSUPPORTED_VERSION;
      response.apiKeys = [{ apiKey: ApiKey.ApiVersions, minVersion: VERSIONS.min, maxVersion: VERSIONS.max, _unknownTaggedFields: undefined }];
      return { kind: 'send', chunks: encodeResponseFrame(ApiKey.ApiVersions, 0, request.header.correlationId, response) };
    }
    if (apiVersion >= 3 && (!SOFTWARE_PATTERN.test(body.clientSoftwareName) || !SOFTWARE_PATTERN.test(body.clientSoftwareVersion))) {
      response.errorCode = ErrorCode.INVALID_REQUEST;
      return response;
    }
    response.apiKeys = services.supportedApis().map((a) => ({
      apiKey: a.apiKey, minVersion: a.versions.min, maxVersion: a.versions.max, _unknownTaggedFields: undefined,
    }));
    const features = services.features();
    response.supportedFeatures = features.supported.map((f) => ({
      name: f.name, minVersion: f.minVersion, maxVersion: f.maxVersion, _unknownTaggedFields: undefined,
    }));
    response.finalizedFeaturesEpoch = features.finalizedEpoch;
    response.finalizedFeatures = features.finalized.map((f) => ({
      name: f.name, maxVersionLevel: f.level, minVersionLevel: f.level, _unknownTaggedFields: undefined,
    }));
    return response;
  },
});
