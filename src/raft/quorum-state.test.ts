import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryFileSystem } from '../common/fs-memory.js';
import { quorumStateFromJson, quorumStateToJson, readQuorumState, writeQuorumState } from './quorum-state.js';

test('quorum-state is written as Kafka writes data_version 0', () => {
  const json = quorumStateToJson({ leaderId: 1, leaderEpoch: 2, votedId: 1, voters: [1] });
  assert.equal(json, '{"clusterId":"","leaderId":1,"leaderEpoch":2,"votedId":1,"appliedOffset":0,"currentVoters":[{"voterId":1}],"data_version":0}');
  assert.deepEqual(quorumStateFromJson(json), { leaderId: 1, leaderEpoch: 2, votedId: 1, voters: [1] });
});

test("Kafka's data_version 1 files are read", () => {
  const v1 = '{"leaderId":-1,"leaderEpoch":2,"votedId":1,"votedDirectoryId":"J8aAPcfLQt2bqs1JT_rMgQ","data_version":1}';
  assert.deepEqual(quorumStateFromJson(v1), { leaderId: -1, leaderEpoch: 2, votedId: 1, voters: [] });
});

test('damaged quorum-state files are corruption errors', () => {
  for (const text of ['', 'nope', '[]', '{"leaderId":1}', '{"leaderId":1,"leaderEpoch":1,"votedId":1,"data_version":7}', '{"leaderId":"1","leaderEpoch":1,"votedId":1,"data_version":0}']) {
    assert.throws(() => quorumStateFromJson(text), (err: { code?: string }) => err.code === 'SAMSA_ERR_METADATA_LOG_CORRUPT', text);
  }
});

test('quorum-state survives a crash once written', async () => {
  const fs = new MemoryFileSystem();
  await fs.mkdirp('/m');
  assert.equal(await readQuorumState(fs, '/m/quorum-state'), null);
  await writeQuorumState(fs, '/m/quorum-state', { leaderId: 3, leaderEpoch: 9, votedId: 3, voters: [3] });
  fs.crash('lose');
  assert.deepEqual(await readQuorumState(fs, '/m/quorum-state'), { leaderId: 3, leaderEpoch: 9, votedId: 3, voters: [3] });
  assert.deepEqual(await fs.readdir('/m'), ['quorum-state']);
});
