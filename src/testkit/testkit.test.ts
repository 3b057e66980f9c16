import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { startBroker } from './index.js';
import { RawClientForTestkit } from './testing/raw-probe.js';

test('startBroker: on a temporary directory, removed on stop', async () => {
  const broker = await startBroker();
  assert.match(broker.bootstrap, /^127\.0\.0\.1:\d+$/);
  assert.ok(existsSync(broker.dataDir));
  assert.equal(await RawClientForTestkit.nodeIdOf(broker.port), 1);
  await broker.stop();
  assert.ok(!existsSync(broker.dataDir));
});

test('startBroker: in memory, nothing on disk', async () => {
  const broker = await startBroker({ inMemory: true });
  assert.ok(!existsSync(broker.dataDir));
  assert.equal(await RawClientForTestkit.nodeIdOf(broker.port), 1);
  await broker.stop();
});
