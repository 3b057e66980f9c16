/**
 * Valid frames to mutate: every request and response of every API at every version, framed as
 * they travel (header + body, without the int32 size prefix the network layer strips), and bare
 * encodings of the other generated schemas (headers, persisted records). Test-only.
 */
import fc from 'fast-check';
import { type MessageCodec, encodeToBuffer, isFlexible } from '../codec-support.js';
import { decodeRequestFrameHeader, encodeRequestFrame, encodeResponseFrame, responseHeaderVersion } from '../frame.js';
import type { ApiInfo } from '../generated/api-keys.js';
import * as generated from '../generated/index.js';
import type { FuzzSeed } from './fuzz-harness.js';
import { messageArbitrary, versionsOf } from './schema-arbitrary.js';

function values(codec: MessageCodec<unknown>, version: number, count: number, seed: number): unknown[] {
  const sampled = fc.sample(messageArbitrary(codec, version), { numRuns: count, seed: seed + version });
  return [codec.defaults(), ...sampled];
}

/** Drops the int32 size prefix of an encoded frame. */
function unframe(chunks: Buffer[]): Buffer {
  return Buffer.concat(chunks).subarray(4);
}

/** The trailing top-level tagged-field section, when it is the empty one-byte form. */
function trailingSection(codec: MessageCodec<unknown>, version: number, frame: Buffer): number[] {
  return isFlexible(codec, version) && frame[frame.length - 1] === 0 ? [frame.length - 1] : [];
}

export function requestSeeds(info: ApiInfo, samplesPerVersion: number, seed: number): FuzzSeed[] {
  const out: FuzzSeed[] = [];
  const codec = info.request;
  for (const version of versionsOf(codec)) {
    for (const [i, value] of values(codec, version, samplesPerVersion, seed).entries()) {
      const header = { apiKey: info.apiKey, apiVersion: version, correlationId: 1000 + i, clientId: i % 2 === 0 ? 'fuzz-client' : null };
      const frame = unframe(encodeRequestFrame(header, value));
      const { bodyOffset } = decodeRequestFrameHeader(frame);
      const taggedSections = isFlexible(codec, version) ? [bodyOffset - 1] : [];
      taggedSections.push(...trailingSection(codec, version, frame));
      out.push({ label: codec.name, version, frame, hints: { taggedSections } });
    }
  }
  return out;
}

export function responseSeeds(info: ApiInfo, samplesPerVersion: number, seed: number): FuzzSeed[] {
  const out: FuzzSeed[] = [];
  const codec = info.response;
  for (const version of versionsOf(codec)) {
    for (const [i, value] of values(codec, version, samplesPerVersion, seed).entries()) {
      const frame = unframe(encodeResponseFrame(info.apiKey, version, 2000 + i, value));
      // Response header v1: correlation id, then its tagged-field section.
      const taggedSections = responseHeaderVersion(info.apiKey, version) === 1 ? [4] : [];
      taggedSections.push(...trailingSection(codec, version, frame));
      out.push({ label: codec.name, version, frame, hints: { taggedSections } });
    }
  }
  return out;
}

export function bareSeeds(codec: MessageCodec<unknown>, samplesPerVersion: number, seed: number): FuzzSeed[] {
  const out: FuzzSeed[] = [];
  for (const version of versionsOf(codec)) {
    for (const value of values(codec, version, samplesPerVersion, seed)) {
      const frame = encodeToBuffer(codec, version, value);
      out.push({ label: codec.name, version, frame, hints: { taggedSections: trailingSection(codec, version, frame) } });
    }
  }
  return out;
}

function isCodec(v: unknown): v is MessageCodec<unknown> {
  return typeof v === 'object' && v !== null && 'schema' in v && 'encode' in v && 'decode' in v;
}

/** Every generated codec that is not an API request or response: headers and persisted records. */
export function nonApiCodecs(): MessageCodec<unknown>[] {
  const namespaces = [generated, generated.groupCoordinatorRecords, generated.transactionRecords, generated.metadataRecords, generated.raftRecords];
  return namespaces
    .flatMap((ns) => Object.values(ns as unknown as Record<string, unknown>))
    .filter(isCodec)
    .filter((c) => c.kind !== 'request' && c.kind !== 'response');
}
