/**
 * What the network layer decides about a frame before any handler sees it, following Kafka's
 * SocketServer.Processor (parseRequestHeader, processCompletedReceives) and RequestContext:
 *
 * - the header does not decode → close (RequestHeader.parse throws InvalidRequestException);
 * - the API key is unknown, or not served on this listener → close (InvalidRequestException);
 * - the version is outside the served range → close (UnsupportedVersionException), except
 *   ApiVersions, which Kafka accepts at any version (ApiKeys.isVersionEnabled) and answers itself;
 * - ApiVersions v3+ within range: the body is decoded here to record the client's software name
 *   and version when they are valid (KIP-511); a body that does not decode closes the connection,
 *   as RequestChannel.Request's eager parse would.
 */
import { ApiKey, ApiVersionsRequest, Reader, decodeRequestFrameHeader } from '../../protocol/index.js';
import type { ApiInfo, RequestHeader } from '../../protocol/index.js';
import type { CloseReason } from './metrics.js';
import type { RequestHandler } from './request-handler.js';

/** ApiVersionsRequest.SOFTWARE_NAME_VERSION_PATTERN in Kafka. */
const SOFTWARE_NAME_VERSION = /^[a-zA-Z0-9](?:[a-zA-Z0-9\-.]*[a-zA-Z0-9])?$/;

export interface ClientSoftware {
  readonly name: string;
  readonly version: string;
}

export type Admission =
  | {
      readonly kind: 'dispatch';
      readonly header: RequestHeader;
      readonly apiInfo: ApiInfo;
      readonly bodyOffset: number;
      /** Set when this is a valid ApiVersions v3+ request. */
      readonly clientSoftware: ClientSoftware | undefined;
    }
  | { readonly kind: 'close'; readonly reason: CloseReason; readonly detail: string };

function close(reason: CloseReason, detail: string): Admission {
  return { kind: 'close', reason, detail };
}

export function admitRequest(frame: Buffer, handler: RequestHandler, listenerName: string): Admission {
  let decoded;
  try {
    decoded = decodeRequestFrameHeader(frame);
  } catch (e) {
    return close('invalidHeader', `request header does not decode: ${(e as Error).message}`);
  }
  const { header, info, bodyOffset } = decoded;
  const apiKey = header.requestApiKey;
  const apiVersion = header.requestApiVersion;
  if (info === undefined) return close('unknownApiKey', `unknown API key ${apiKey}`);
  const range = handler.supportedVersions(apiKey, listenerName);
  if (range === undefined) return close('unknownApiKey', `${info.name} (key ${apiKey}) is not served on listener ${listenerName}`);
  // Kafka treats a null client id as "".
  if (header.clientId === null) header.clientId = '';
  const inRange = apiVersion >= range.min && apiVersion <= range.max;
  if (apiKey !== ApiKey.ApiVersions) {
    if (!inRange) return close('unsupportedVersion', `${info.name} v${apiVersion} is outside v${range.min}-v${range.max}`);
    return { kind: 'dispatch', header, apiInfo: info, bodyOffset, clientSoftware: undefined };
  }
  let clientSoftware: ClientSoftware | undefined;
  if (inRange && apiVersion >= 3) {
    try {
      const body = ApiVersionsRequest.decode(new Reader(frame, bodyOffset), apiVersion);
      if (SOFTWARE_NAME_VERSION.test(body.clientSoftwareName) && SOFTWARE_NAME_VERSION.test(body.clientSoftwareVersion)) {
        clientSoftware = { name: body.clientSoftwareName, version: body.clientSoftwareVersion };
      }
    } catch (e) {
      return close('invalidRequest', `ApiVersions v${apiVersion} body does not decode: ${(e as Error).message}`);
    }
  }
  return { kind: 'dispatch', header, apiInfo: info, bodyOffset, clientSoftware };
}
