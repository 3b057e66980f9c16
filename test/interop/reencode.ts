/**
 * Decode a captured frame with the generated codecs, encode the result again, and say where the
 * bytes differ. Frames are without their int32 size prefix.
 */
import {
  Reader,
  Writer,
  apiInfo,
  decodeRequestFrameHeader,
  decodeResponseFrame,
  encodeRequestFrame,
  encodeRequestHeader,
  encodeResponseFrame,
  requestHeaderVersion,
} from '../../src/protocol/index.js';

export interface Reencoded<T = unknown> {
  body: T;
  /** Null when the re-encoded bytes equal the frame; otherwise where and how they differ. */
  mismatch: string | null;
}

/** Where two buffers first differ, with a few bytes of each around that spot. */
export function describeDifference(expected: Buffer, actual: Buffer): string | null {
  if (expected.equals(actual)) return null;
  let i = 0;
  while (i < expected.length && i < actual.length && expected[i] === actual[i]) i++;
  const around = (b: Buffer): string => b.subarray(Math.max(0, i - 8), i + 8).toString('hex');
  return `${expected.length} bytes captured, ${actual.length} re-encoded; first difference at byte ${i}: ` +
    `captured …${around(expected)}…, re-encoded …${around(actual)}…`;
}

/** Decodes a request frame (header and body) and re-encodes it, with and without frame.ts. */
export function reencodeRequest<T = unknown>(frame: Buffer): Reencoded<T> & { apiKey: number; apiVersion: number } {
  const { header, info, bodyOffset } = decodeRequestFrameHeader(frame);
  const apiKey = header.requestApiKey;
  const apiVersion = header.requestApiVersion;
  if (!info) throw new Error(`unknown API key ${apiKey}`);
  const r = new Reader(frame, bodyOffset);
  const body = info.request.decode(r, apiVersion) as T;
  const w = new Writer();
  encodeRequestHeader(w, requestHeaderVersion(apiKey, apiVersion), header);
  info.request.encode(w, apiVersion, body);
  let mismatch = describeDifference(frame, w.toBuffer());
  if (mismatch === null && r.offset !== frame.length) mismatch = `${frame.length - r.offset} bytes left after the body`;
  // encodeRequestFrame writes a header with no tagged fields; compare it only where that holds.
  if (mismatch === null && !header._unknownTaggedFields?.length) {
    const viaFrame = Buffer.concat(encodeRequestFrame({ apiKey, apiVersion, correlationId: header.correlationId, clientId: header.clientId }, body));
    const m = describeDifference(frame, viaFrame.subarray(4));
    if (m !== null) mismatch = `encodeRequestFrame: ${m}`;
  }
  return { apiKey, apiVersion, body, mismatch };
}

/** Decodes a response frame sent for a request at `apiVersion` and re-encodes it with frame.ts. */
export function reencodeResponse<T = unknown>(apiKey: number, apiVersion: number, frame: Buffer): Reencoded<T> {
  if (!apiInfo(apiKey)) throw new Error(`unknown API key ${apiKey}`);
  const { correlationId, body } = decodeResponseFrame<T>(apiKey, apiVersion, frame);
  const again = Buffer.concat(encodeResponseFrame(apiKey, apiVersion, correlationId, body));
  return { body, mismatch: describeDifference(frame, again.subarray(4)) };
}
