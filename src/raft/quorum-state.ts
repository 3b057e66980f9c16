import type { FileSystem } from '../common/fs.js';
import { readSmallFile, writeFileAtomic } from '../common/fs.js';
import { MetadataLogError } from './metadata-log.js';

/**
 * The `quorum-state` file: this node's election state (leader, epoch, vote), kept so a restart
 * never reuses an epoch or votes twice in one. Kafka's FileQuorumStateStore format: one line of
 * QuorumStateData as JSON plus a `data_version` field. Version 0 (kraft.version 0, a static
 * voter set) is what Samsa writes:
 * `{"clusterId":"","leaderId":1,"leaderEpoch":2,"votedId":1,"appliedOffset":0,"currentVoters":[{"voterId":1}],"data_version":0}`.
 * Version 1 (dynamic quorums) is read too.
 */

export const QUORUM_STATE_FILE_NAME = 'quorum-state';

/** The election state that matters to Samsa, whichever version the file has. */
export interface ElectionState {
  /** The known leader, or -1. */
  leaderId: number;
  leaderEpoch: number;
  /** The voter this node voted for in leaderEpoch, or -1. */
  votedId: number;
  /** The voter ids (version 0 files only; empty otherwise). */
  voters: number[];
}

/** Kafka's JSON of QuorumStateData at data_version 0, field order as its JSON converter writes. */
export function quorumStateToJson(state: ElectionState): string {
  return JSON.stringify({
    clusterId: '',
    leaderId: state.leaderId,
    leaderEpoch: state.leaderEpoch,
    votedId: state.votedId,
    appliedOffset: 0,
    currentVoters: state.voters.map((voterId) => ({ voterId })),
    data_version: 0,
  });
}

function corrupt(path: string, why: string): MetadataLogError {
  return new MetadataLogError('SAMSA_ERR_METADATA_LOG_CORRUPT', `${path}: ${why}`);
}

function int32Field(obj: Record<string, unknown>, name: string, path: string): number {
  const value = obj[name];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < -(2 ** 31) || value >= 2 ** 31) {
    throw corrupt(path, `field ${name} is not an int32: ${JSON.stringify(value)}`);
  }
  return value;
}

/** Parses the file's first line; a missing field or an unknown data_version is corruption. */
export function quorumStateFromJson(text: string, path = QUORUM_STATE_FILE_NAME): ElectionState {
  const line = text.split('\n', 1)[0]!;
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (err) {
    throw corrupt(path, `not JSON (${(err as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw corrupt(path, 'not a JSON object');
  const obj = parsed as Record<string, unknown>;
  if (!('data_version' in obj)) throw corrupt(path, 'no data_version field');
  const dataVersion = obj.data_version;
  if (dataVersion !== 0 && dataVersion !== 1) throw corrupt(path, `data_version ${JSON.stringify(dataVersion)} is not 0 or 1`);
  const voters: number[] = [];
  if (dataVersion === 0 && Array.isArray(obj.currentVoters)) {
    for (const voter of obj.currentVoters as unknown[]) {
      if (typeof voter !== 'object' || voter === null) throw corrupt(path, 'currentVoters holds a non-object');
      voters.push(int32Field(voter as Record<string, unknown>, 'voterId', path));
    }
  }
  return {
    leaderId: int32Field(obj, 'leaderId', path),
    leaderEpoch: int32Field(obj, 'leaderEpoch', path),
    votedId: int32Field(obj, 'votedId', path),
    voters,
  };
}

/** Reads `quorum-state` from `path`; null when there is none yet. */
export async function readQuorumState(fs: FileSystem, path: string): Promise<ElectionState | null> {
  const bytes = await readSmallFile(fs, path);
  if (bytes === null) return null;
  return quorumStateFromJson(bytes.toString('utf8'), path);
}

/** Replaces `quorum-state` atomically (temporary file, fsync, rename, directory fsync). */
export async function writeQuorumState(fs: FileSystem, path: string, state: ElectionState): Promise<void> {
  await writeFileAtomic(fs, path, quorumStateToJson(state));
}
