/**
 * One API key, one handler file: each exports an ApiHandler naming its key and the versions it
 * serves. Handlers are thin: decode (done by the registry), check, delegate to the broker's
 * services, answer. State lives in the services, never here.
 */
import { type VersionRange, apiInfo } from '../../protocol/index.js';
import type { NetworkRequest, Response } from '../network/index.js';
import type { BrokerServices } from '../services.js';

export interface HandlerContext<Req> {
  readonly request: NetworkRequest;
  /** The decoded request body. */
  readonly body: Req;
  readonly apiVersion: number;
  readonly services: BrokerServices;
}

/**
 * A handler resolves to the response body (the registry encodes it at the request's version), or
 * to a network Response for the special cases (no response for acks=0, close the connection).
 */
export interface ApiHandler<Req = any, Res = any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  readonly apiKey: number;
  readonly versions: VersionRange;
  /** Listeners this API is served on; undefined means every broker listener. */
  handle(ctx: HandlerContext<Req>): Promise<Res | Response> | Res | Response;
}

export function defineHandler<Req, Res>(h: ApiHandler<Req, Res>): ApiHandler<Req, Res> {
  return h;
}

/** Every version the schema defines for an API (what the broker serves unless it says less). */
export function allVersions(apiKey: number): VersionRange {
  const info = apiInfo(apiKey);
  if (!info) throw new Error(`unknown API key ${apiKey}`);
  return info.validVersions;
}
