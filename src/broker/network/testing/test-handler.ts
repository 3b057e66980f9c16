/**
 * A RequestHandler for the network layer's tests: serves every API Samsa knows at every version,
 * answers with the response's defaults unless told otherwise, and counts what it sees.
 */
import { ApiKey, ErrorCode, apiInfo, encodeResponseFrame } from '../../../protocol/index.js';
import type { VersionRange } from '../../../protocol/index.js';
import { type NetworkRequest, type RequestHandler, type Response, respond } from '../request-handler.js';

export type Behaviour = (request: NetworkRequest) => Promise<Response> | Response;

export function allVersions(apiKey: number): VersionRange | undefined {
  return apiInfo(apiKey)?.validVersions;
}

/**
 * Kafka's answer to ApiVersions at a version it does not know: v0, UNSUPPORTED_VERSION, and its
 * own ApiVersions range (KIP-511).
 */
export function unsupportedApiVersionsResponse(request: NetworkRequest, range: VersionRange): Response {
  const body = {
    ...request.apiInfo.response.defaults(),
    errorCode: ErrorCode.UNSUPPORTED_VERSION,
    apiKeys: [{ apiKey: ApiKey.ApiVersions, minVersion: range.min, maxVersion: range.max, _unknownTaggedFields: undefined }],
  };
  return { kind: 'send', chunks: encodeResponseFrame(ApiKey.ApiVersions, 0, request.header.correlationId, body) };
}

/** The response's default body at the request's version (ApiVersions falls back as Kafka does). */
export function defaultResponse(request: NetworkRequest): Response {
  const h = request.header;
  const range = request.apiInfo.validVersions;
  if (h.requestApiKey === ApiKey.ApiVersions && (h.requestApiVersion < range.min || h.requestApiVersion > range.max)) {
    return unsupportedApiVersionsResponse(request, range);
  }
  return respond(request, request.apiInfo.response.defaults());
}

export function delayMs(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export class TestHandler implements RequestHandler {
  calls = 0;
  inFlight = 0;
  peakInFlight = 0;
  lastRequest: NetworkRequest | undefined;
  behaviour: Behaviour;
  private readonly versions: (apiKey: number, listenerName: string) => VersionRange | undefined;

  constructor(behaviour: Behaviour = defaultResponse, versions = allVersions) {
    this.behaviour = behaviour;
    this.versions = versions;
  }

  supportedVersions(apiKey: number, listenerName: string): VersionRange | undefined {
    return this.versions(apiKey, listenerName);
  }

  async handle(request: NetworkRequest): Promise<Response> {
    this.calls++;
    this.inFlight++;
    if (this.inFlight > this.peakInFlight) this.peakInFlight = this.inFlight;
    this.lastRequest = request;
    try {
      return await this.behaviour(request);
    } finally {
      this.inFlight--;
    }
  }
}
