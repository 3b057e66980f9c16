import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiKey, ApiVersionsRequest, MetadataRequest, encodeRequestFrame } from '../../protocol/index.js';
import { admitRequest } from './admission.js';
import { TestHandler } from './testing/test-handler.js';

const handler = new TestHandler();

function frameOf(apiKey: number, apiVersion: number, body: unknown, clientId: string | null = 'c'): Buffer {
  return Buffer.concat(encodeRequestFrame({ apiKey, apiVersion, correlationId: 7, clientId }, body)).subarray(4);
}

/** A v1 header (empty client id) followed by an empty tagged-field section, as v2 needs. */
function rawHeader(apiKey: number, apiVersion: number): Buffer {
  const b = Buffer.alloc(11);
  b.writeInt16BE(apiKey, 0);
  b.writeInt16BE(apiVersion, 2);
  b.writeInt32BE(1, 4);
  b.writeInt16BE(0, 8); // empty client id
  return b;
}

test('a served request is admitted with its header and body offset', () => {
  const a = admitRequest(frameOf(ApiKey.Metadata, 4, MetadataRequest.defaults()), handler, 'PLAINTEXT');
  assert.equal(a.kind, 'dispatch');
  if (a.kind !== 'dispatch') return;
  assert.equal(a.header.correlationId, 7);
  assert.equal(a.apiInfo.name, 'Metadata');
  assert.ok(a.bodyOffset > 8);
});

test('a null client id becomes ""', () => {
  const a = admitRequest(frameOf(ApiKey.Metadata, 4, MetadataRequest.defaults(), null), handler, 'PLAINTEXT');
  assert.equal(a.kind === 'dispatch' && a.header.clientId, '');
});

test('an unknown API key closes', () => {
  const a = admitRequest(rawHeader(32_000, 0), handler, 'PLAINTEXT');
  assert.deepEqual(a.kind === 'close' && a.reason, 'unknownApiKey');
});

test('an API the handler does not serve on this listener closes', () => {
  const controllerOnly = new TestHandler(undefined, (key) => (key === ApiKey.Metadata ? undefined : { min: 0, max: 99 }));
  const a = admitRequest(frameOf(ApiKey.Metadata, 4, MetadataRequest.defaults()), controllerOnly, 'PLAINTEXT');
  assert.equal(a.kind === 'close' && a.reason, 'unknownApiKey');
});

test('a version outside the served range closes, except for ApiVersions', () => {
  const a = admitRequest(rawHeader(ApiKey.Metadata, 999), handler, 'PLAINTEXT');
  assert.equal(a.kind === 'close' && a.reason, 'unsupportedVersion');
  const b = admitRequest(rawHeader(ApiKey.ApiVersions, 999), handler, 'PLAINTEXT');
  assert.equal(b.kind, 'dispatch');
  const c = admitRequest(rawHeader(ApiKey.ApiVersions, -1), handler, 'PLAINTEXT');
  assert.equal(c.kind, 'dispatch');
});

test('a header that does not decode closes', () => {
  assert.equal(admitRequest(Buffer.alloc(0), handler, 'L').kind, 'close');
  const truncated = rawHeader(ApiKey.Metadata, 4).subarray(0, 7);
  const a = admitRequest(truncated, handler, 'L');
  assert.equal(a.kind === 'close' && a.reason, 'invalidHeader');
  const badClientId = rawHeader(ApiKey.Metadata, 4);
  badClientId.writeInt16BE(500, 8); // claims 500 bytes of client id
  assert.equal(admitRequest(badClientId, handler, 'L').kind, 'close');
});

test('ApiVersions v3 records a valid client software name and version', () => {
  const body = { ...ApiVersionsRequest.defaults(), clientSoftwareName: 'samsa-test', clientSoftwareVersion: '1.2.3' };
  const a = admitRequest(frameOf(ApiKey.ApiVersions, 3, body), handler, 'L');
  assert.deepEqual(a.kind === 'dispatch' && a.clientSoftware, { name: 'samsa-test', version: '1.2.3' });
  const invalid = { ...body, clientSoftwareName: '-bad name' };
  const b = admitRequest(frameOf(ApiKey.ApiVersions, 3, invalid), handler, 'L');
  assert.equal(b.kind === 'dispatch' && b.clientSoftware, undefined);
});

test('an ApiVersions v3 body that does not decode closes', () => {
  const frame = frameOf(ApiKey.ApiVersions, 3, ApiVersionsRequest.defaults());
  const a = admitRequest(frame.subarray(0, frame.length - 2), handler, 'L');
  assert.equal(a.kind === 'close' && a.reason, 'invalidRequest');
});
