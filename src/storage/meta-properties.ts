/**
 * `meta.properties` of a log dir, in the Java properties format Kafka writes (KRaft, version 1):
 * `version=1`, `node.id`, `cluster.id` and `directory.id` (a Kafka Uuid). A dir whose file names
 * another node or cluster is refused, as Kafka does.
 */
import { parseProperties as parseJavaProperties } from '../common/properties.js';
import { join } from 'node:path';
import { SamsaError } from '../common/errors.js';
import { type FileSystem, readSmallFile, writeFileAtomic } from '../common/fs.js';
import type { Random } from '../common/random.js';
import { type Uuid, uuidFromBytes } from '../protocol/uuid.js';
import { META_PROPERTIES_FILE } from './names.js';

export interface MetaProperties {
  version: 1;
  nodeId: number;
  clusterId: string;
  directoryId: Uuid;
}

export class MetaPropertiesError extends SamsaError {
  constructor(message: string) {
    super('SAMSA_ERR_META_PROPERTIES', message);
  }
}

/** Java properties text as a map (the one parser, shared with the broker's server.properties). */
export function parseProperties(text: string): Map<string, string> {
  return new Map(parseJavaProperties(text).values);
}

export function formatMetaProperties(m: MetaProperties, nowMs: number): string {
  const lines = ['#', `#${new Date(nowMs).toUTCString()}`];
  lines.push(`cluster.id=${m.clusterId}`, `directory.id=${m.directoryId}`, `node.id=${m.nodeId}`, `version=${m.version}`);
  return lines.join('\n') + '\n';
}

export function parseMetaProperties(text: string, path = META_PROPERTIES_FILE): MetaProperties {
  const props = parseProperties(text);
  const version = props.get('version');
  if (version !== '1') throw new MetaPropertiesError(`${path}: version ${version ?? '(missing)'} is not 1 (a KRaft log dir)`);
  const nodeId = props.get('node.id');
  if (nodeId === undefined || !/^\d+$/.test(nodeId)) throw new MetaPropertiesError(`${path}: bad node.id ${nodeId ?? '(missing)'}`);
  const clusterId = props.get('cluster.id');
  if (!clusterId) throw new MetaPropertiesError(`${path}: missing cluster.id`);
  const directoryId = props.get('directory.id');
  if (!directoryId) throw new MetaPropertiesError(`${path}: missing directory.id`);
  return { version: 1, nodeId: Number(nodeId), clusterId, directoryId };
}

/** A random directory id, avoiding Kafka's reserved ids (the first 100) and ids shown starting with '-'. */
export function newDirectoryId(random: Random): Uuid {
  for (;;) {
    const bytes = random.bytes(16);
    const reserved = bytes.readBigUInt64BE(0) === 0n && bytes.readBigUInt64BE(8) < 100n;
    const id = uuidFromBytes(bytes);
    if (!reserved && !id.startsWith('-')) return id;
  }
}

/**
 * Reads the dir's meta.properties and checks it names this node and cluster, or writes a new
 * one (with a fresh directory id) when there is none. Returns what the dir holds.
 */
export async function ensureMetaProperties(
  fs: FileSystem,
  dir: string,
  expected: { nodeId: number; clusterId: string },
  random: Random,
  nowMs: number,
): Promise<MetaProperties> {
  const path = join(dir, META_PROPERTIES_FILE);
  const data = await readSmallFile(fs, path);
  if (data !== null) {
    const meta = parseMetaProperties(data.toString('utf8'), path);
    if (meta.nodeId !== expected.nodeId) {
      throw new MetaPropertiesError(`${path}: stored node.id ${meta.nodeId} does not match node.id ${expected.nodeId}`);
    }
    if (meta.clusterId !== expected.clusterId) {
      throw new MetaPropertiesError(`${path}: stored cluster.id ${meta.clusterId} does not match cluster.id ${expected.clusterId}`);
    }
    return meta;
  }
  const meta: MetaProperties = { version: 1, nodeId: expected.nodeId, clusterId: expected.clusterId, directoryId: newDirectoryId(random) };
  await writeFileAtomic(fs, path, formatMetaProperties(meta, nowMs));
  return meta;
}
