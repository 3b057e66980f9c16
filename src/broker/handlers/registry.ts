/**
 * The handler registry: the network layer's RequestHandler. It decodes each body with the
 * generated codec, runs the API's handler, and encodes the answer at the request's version.
 * ApiVersions' answer is computed from what is registered here.
 */
import { Reader, type VersionRange } from '../../protocol/index.js';
import { type NetworkRequest, type RequestHandler, type Response, isResponse, respond } from '../network/index.js';
import type { BrokerServices } from '../services.js';
import type { ApiHandler } from './api-handler.js';

export class HandlerRegistry implements RequestHandler {
  private readonly byKey = new Map<number, ApiHandler>();
  private services: BrokerServices | undefined;

  constructor(handlers: readonly ApiHandler[]) {
    for (const h of handlers) {
      if (this.byKey.has(h.apiKey)) throw new Error(`two handlers for API key ${h.apiKey}`);
      this.byKey.set(h.apiKey, h);
    }
  }

  bind(services: BrokerServices): void {
    this.services = services;
  }

  /** Every API served, with its version range, in key order (what ApiVersions advertises). */
  supportedApis(): { apiKey: number; versions: VersionRange }[] {
    return [...this.byKey.values()].sort((a, b) => a.apiKey - b.apiKey).map((h) => ({ apiKey: h.apiKey, versions: h.versions }));
  }

  supportedVersions(apiKey: number): VersionRange | undefined {
    return this.byKey.get(apiKey)?.versions;
  }

  async handle(request: NetworkRequest): Promise<Response> {
    const services = this.services;
    if (!services) throw new Error('handler registry used before bind()');
    const handler = this.byKey.get(request.header.requestApiKey);
    if (!handler) return { kind: 'close' };
    const version = request.header.requestApiVersion;
    const inRange = version >= handler.versions.min && version <= handler.versions.max;
    // Only ApiVersions reaches here at an unknown version; its handler answers without a body.
    const body = inRange ? request.apiInfo.request.decode(new Reader(request.frame, request.bodyOffset), version) : undefined;
    const result = await handler.handle({ request, body, apiVersion: version, services });
    return isResponse(result) ? result : respond(request, result);
  }
}
