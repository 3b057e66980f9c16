/**
 * The cluster id: read from an existing meta.properties in any of the node's directories, or a
 * new random one for a fresh node (Samsa formats its directories itself on first start).
 */
import { join } from 'node:path';
import type { FileSystem } from '../common/fs.js';
import { readSmallFile } from '../common/fs.js';
import type { Random } from '../common/random.js';
import { uuidFromBytes } from '../protocol/index.js';
import { META_PROPERTIES_FILE, parseMetaProperties } from '../storage/index.js';

export async function discoverClusterId(fs: FileSystem, dirs: readonly string[]): Promise<string | null> {
  for (const dir of dirs) {
    const path = join(dir, META_PROPERTIES_FILE);
    const data = await readSmallFile(fs, path);
    if (data !== null) return parseMetaProperties(data.toString('utf8'), path).clusterId;
  }
  return null;
}

/** A random Uuid as Kafka makes them: never one that starts with '-' (it would read as a flag). */
export function newClusterId(random: Random): string {
  for (;;) {
    const id = uuidFromBytes(random.bytes(16));
    if (!id.startsWith('-')) return id;
  }
}
