/**
 * node-rdkafka (bundling librdkafka 2.12, which speaks KIP-848's ConsumerGroupHeartbeat) is not a
 * dependency of the package: compiling it takes minutes. .ci/run installs it into
 * ${TMPDIR:-/tmp}/samsa-rdkafka and sets SAMSA_TEST_NODE_RDKAFKA to the module directory; tests
 * load it from there and skip (or fail under SAMSA_TEST_REQUIRE_INTEROP=1) when it is absent.
 */
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

export const NODE_RDKAFKA_DIR = process.env.SAMSA_TEST_NODE_RDKAFKA ?? join(process.env.TMPDIR ?? tmpdir(), 'samsa-rdkafka', 'node_modules', 'node-rdkafka');

/** The bundled librdkafka version when node-rdkafka loads in a child node, else null. */
export function nodeRdkafkaVersion(): string | null {
  if (!existsSync(join(NODE_RDKAFKA_DIR, 'package.json'))) return null;
  const r = spawnSync(process.execPath, ['-e', `process.stdout.write(require(${JSON.stringify(NODE_RDKAFKA_DIR)}).librdkafkaVersion)`], { encoding: 'utf8', timeout: 15_000 });
  return r.status === 0 && r.stdout ? r.stdout : null;
}
