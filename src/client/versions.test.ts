import { test } from 'node:test';
import assert from 'node:assert/strict';
import { API_INFOS, ApiKey, apiInfo } from '../protocol/index.js';
import { NegotiatedVersions, clientVersions } from './versions.js';

const api = (apiKey: number, minVersion: number, maxVersion: number) => ({ apiKey, minVersion, maxVersion });

test('the shared range is the overlap of ours and the broker\'s', () => {
  const n = new NegotiatedVersions([api(ApiKey.Metadata, 4, 50), api(ApiKey.Fetch, 0, 3), api(ApiKey.Produce, 90, 99), api(9999, 0, 1)]);
  assert.deepEqual(n.range(ApiKey.Metadata), { min: 4, max: apiInfo(ApiKey.Metadata)!.validVersions.max });
  assert.equal(n.highest(ApiKey.Fetch), 3);
  assert.equal(n.supports(ApiKey.Produce), false);
  assert.equal(n.supports(9999), false);
  assert.equal(n.supports(ApiKey.Fetch, 4), false);
  assert.throws(() => n.highest(ApiKey.Fetch, 4), /up to v3/);
  assert.throws(() => n.highest(ApiKey.Produce), { code: 'SAMSA_ERR_UNSUPPORTED_VERSION' });
});

test('a latest version the schema marks unstable is never chosen', () => {
  const unstable = API_INFOS.find((a) => a.latestVersionUnstable && a.validVersions.max > a.validVersions.min)!;
  assert.equal(clientVersions(unstable.apiKey)!.max, unstable.validVersions.max - 1);
  const n = new NegotiatedVersions([api(unstable.apiKey, 0, unstable.validVersions.max)]);
  assert.equal(n.highest(unstable.apiKey), unstable.validVersions.max - 1);
});
