/**
 * Request and response framing: the int32 size prefix, the versioned headers, and the rule for
 * which header version goes with which API version.
 */
import { DecodeError, EncodeError } from '../common/errors.js';
import { Reader } from './reader.js';
import { Writer } from './writer.js';
import { type ApiInfo, ApiKey, apiInfo } from './generated/api-keys.js';
import { type RequestHeader, decodeRequestHeader, encodeRequestHeader } from './generated/messages/request-header.js';
import { type ResponseHeader, decodeResponseHeader, encodeResponseHeader } from './generated/messages/response-header.js';
import { isFlexible } from './codec-support.js';

function flexible(info: ApiInfo, apiVersion: number): boolean {
  return isFlexible(info.request, apiVersion);
}

/** Header v2 for flexible versions, v1 otherwise; v0 only for ControlledShutdown v0. */
export function requestHeaderVersion(apiKey: number, apiVersion: number): number {
  const info = apiInfo(apiKey);
  if (apiKey === ApiKey.ControlledShutdown && apiVersion === 0) return 0;
  return info && flexible(info, apiVersion) ? 2 : 1;
}

/** Header v1 for flexible versions, v0 otherwise; ApiVersions always answers with v0. */
export function responseHeaderVersion(apiKey: number, apiVersion: number): number {
  if (apiKey === ApiKey.ApiVersions) return 0;
  const info = apiInfo(apiKey);
  return info && flexible(info, apiVersion) ? 1 : 0;
}

function withSizePrefix(w: Writer): Buffer[] {
  const size = Buffer.allocUnsafe(4);
  size.writeInt32BE(w.length, 0);
  return [size, ...w.toChunks()];
}

export interface RequestFrameHeader {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  clientId: string | null;
}

function requireVersion(info: ApiInfo | undefined, apiKey: number, apiVersion: number): ApiInfo {
  if (!info) throw new EncodeError(`unknown API key ${apiKey}`);
  if (apiVersion < info.validVersions.min || apiVersion > info.validVersions.max) {
    throw new EncodeError(`${info.name} has no version ${apiVersion}`);
  }
  return info;
}

/** A whole request frame (size prefix, header, body) as chunks for one vectored write. */
export function encodeRequestFrame(h: RequestFrameHeader, body: unknown): Buffer[] {
  const info = requireVersion(apiInfo(h.apiKey), h.apiKey, h.apiVersion);
  const w = new Writer();
  const header: RequestHeader = {
    requestApiKey: h.apiKey,
    requestApiVersion: h.apiVersion,
    correlationId: h.correlationId,
    clientId: h.clientId,
    _unknownTaggedFields: undefined,
  };
  encodeRequestHeader(w, requestHeaderVersion(h.apiKey, h.apiVersion), header);
  info.request.encode(w, h.apiVersion, body);
  return withSizePrefix(w);
}

/** A whole response frame as chunks. */
export function encodeResponseFrame(apiKey: number, apiVersion: number, correlationId: number, body: unknown): Buffer[] {
  const info = requireVersion(apiInfo(apiKey), apiKey, apiVersion);
  const w = new Writer();
  const header: ResponseHeader = { correlationId, _unknownTaggedFields: undefined };
  encodeResponseHeader(w, responseHeaderVersion(apiKey, apiVersion), header);
  info.response.encode(w, apiVersion, body);
  return withSizePrefix(w);
}

export interface DecodedRequestHeader {
  header: RequestHeader;
  /** Undefined when the API key is not one Samsa knows. */
  info: ApiInfo | undefined;
  /** Where the body starts in the frame. */
  bodyOffset: number;
}

/**
 * Decodes the header of a request frame (without its size prefix). The API key and version come
 * first in every header version, so they pick the header version before the rest is read.
 */
export function decodeRequestFrameHeader(frame: Buffer): DecodedRequestHeader {
  if (frame.length < 4) throw new DecodeError(`request frame of ${frame.length} bytes has no header`);
  const apiKey = frame.readInt16BE(0);
  const apiVersion = frame.readInt16BE(2);
  const info = apiInfo(apiKey);
  const r = new Reader(frame);
  const header = decodeRequestHeader(r, requestHeaderVersion(apiKey, apiVersion));
  return { header, info, bodyOffset: r.offset };
}

/** Decodes a response frame (without its size prefix) for a request sent at `apiVersion`. */
export function decodeResponseFrame<T = unknown>(apiKey: number, apiVersion: number, frame: Buffer): { correlationId: number; body: T } {
  const info = apiInfo(apiKey);
  if (!info) throw new DecodeError(`unknown API key ${apiKey}`);
  const r = new Reader(frame);
  const header = decodeResponseHeader(r, responseHeaderVersion(apiKey, apiVersion));
  const body = info.response.decode(r, apiVersion) as T;
  return { correlationId: header.correlationId, body };
}
