import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main } from './main.js';
import { encodeRequestFrame, ApiKey } from '../protocol/index.js';

async function run(...argv: string[]): Promise<{ code: number; text: string }> {
  const lines: string[] = [];
  const code = await main(argv, (l) => lines.push(l));
  return { code, text: lines.join('\n') };
}

test('samsa protocol apis lists every API with its versions', async () => {
  const { code, text } = await run('protocol', 'apis');
  assert.equal(code, 0);
  assert.match(text, /^0\s+Produce\s+\d+-\d+\s+9\+/m);
  assert.match(text, /^18\s+ApiVersions\s+0-\d+\s+3\+/m);
});

test('samsa protocol errors lists codes with retriable flags', async () => {
  const { text } = await run('protocol', 'errors');
  assert.match(text, /^3\s+UNKNOWN_TOPIC_OR_PARTITION\s+true$/m);
  assert.match(text, /^10\s+MESSAGE_TOO_LARGE\s+false$/m);
});

test('samsa protocol decode-request decodes a frame and rejects garbage with a message', async () => {
  const frame = Buffer.concat(encodeRequestFrame(
    { apiKey: ApiKey.ApiVersions, apiVersion: 3, correlationId: 7, clientId: 'cli-test' },
    { clientSoftwareName: 'samsa', clientSoftwareVersion: '1', _unknownTaggedFields: undefined },
  ));
  const ok = await run('protocol', 'decode-request', frame.toString('hex'));
  assert.equal(ok.code, 0);
  const json = JSON.parse(ok.text);
  assert.equal(json.api, 'ApiVersions');
  assert.equal(json.header.correlationId, 7);
  assert.equal(json.body.clientSoftwareName, 'samsa');
  assert.equal(json.trailingBytes, 0);
  const bad = await run('protocol', 'decode-request', frame.subarray(0, frame.length - 3).toString('hex'));
  assert.equal(bad.code, 1);
  assert.match(bad.text, /cannot decode/);
});

test('unknown commands exit 2 with usage', async () => {
  assert.equal((await run('frobnicate')).code, 2);
});
