/**
 * The consumer protocol's assignment bytes, as a classic group's SyncGroup and DescribeGroups
 * carry them: an int16 version, then ConsumerProtocolAssignment at that version.
 */
import { ConsumerProtocolAssignment, Reader } from '../../protocol/index.js';
import { type TopicPartition, comparePartitions } from './types.js';

/**
 * The partitions in an assignment. A version newer than this client knows is read at the
 * newest it knows (the format only adds fields at the end). Empty bytes mean no assignment.
 */
export function decodeConsumerAssignment(bytes: Buffer): TopicPartition[] {
  if (bytes.length === 0) return [];
  const r = new Reader(bytes);
  const version = r.int16();
  const known = ConsumerProtocolAssignment.validVersions;
  if (version < known.min) return [];
  const assignment = ConsumerProtocolAssignment.decode(r, Math.min(version, known.max));
  return assignment.assignedPartitions
    .flatMap((t) => t.partitions.map((partition) => ({ topic: t.topic, partition })))
    .sort(comparePartitions);
}
