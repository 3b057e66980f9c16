import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SeededRandom } from '../common/random.js';
import { newClusterId } from './cluster-id.js';

test('new cluster ids are 22-character Kafka uuids that never start with a dash', () => {
  const random = new SeededRandom(1);
  for (let i = 0; i < 2000; i++) {
    const id = newClusterId(random);
    assert.match(id, /^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
  }
});
