/**
 * Config from environment variables, mapped the way Kafka's Docker image maps KAFKA_*
 * (KafkaDockerWrapper): drop the prefix, lower-case, then `_` → `.`, `...` → `-`, `..` → `_`.
 * So SAMSA_LOG_DIRS → log.dirs, SAMSA_LISTENER_NAME_INTERNAL_SSL__X → listener.name.internal.ssl_x,
 * SAMSA_ABC___DEF → abc-def. A few SAMSA_ variables are not configs and are skipped.
 */

export const ENV_PREFIX = 'SAMSA_';

/** The cluster id for a new log directory (Kafka's Docker image reads CLUSTER_ID). */
export const CLUSTER_ID_ENV = 'SAMSA_CLUSTER_ID';

/** SAMSA_ variables that configure the process, not the broker (like Kafka's KAFKA_HEAP_OPTS). */
export const NON_CONFIG_ENV: ReadonlySet<string> = new Set([CLUSTER_ID_ENV, 'SAMSA_LOG_LEVEL', 'SAMSA_HOME', 'SAMSA_OPTS', 'SAMSA_KAFKA_PROTOCOL']);

/** SAMSA_TEST_* variables steer Samsa's own test suites; they are never broker config. */
export const TEST_ENV_PREFIX = 'SAMSA_TEST_';

/** The config name an environment variable stands for, or null if it is not a config variable. */
export function envNameToConfigName(envName: string, prefix = ENV_PREFIX, skip: ReadonlySet<string> = NON_CONFIG_ENV): string | null {
  if (!envName.startsWith(prefix) || envName.length === prefix.length || skip.has(envName) || envName.startsWith(TEST_ENV_PREFIX)) return null;
  return envName
    .slice(prefix.length)
    .toLowerCase()
    .replaceAll('_', '.')
    .replaceAll('...', '-')
    .replaceAll('..', '_');
}

/** The environment variable that sets a config: the inverse of envNameToConfigName. */
export function configNameToEnvName(configName: string, prefix = ENV_PREFIX): string {
  return prefix + configName.replaceAll('_', '__').replaceAll('-', '___').replaceAll('.', '_').toUpperCase();
}

/** Config entries from an environment, sorted by config name. Empty values are kept, as Kafka does. */
export function configFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  prefix = ENV_PREFIX,
  skip: ReadonlySet<string> = NON_CONFIG_ENV,
): Map<string, string> {
  const found: [string, string][] = [];
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    const key = envNameToConfigName(name, prefix, skip);
    if (key !== null) found.push([key, value]);
  }
  found.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return new Map(found);
}

/** The cluster id given in the environment, if any (validate it with isValidClusterId). */
export function clusterIdFromEnv(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const value = env[CLUSTER_ID_ENV]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/**
 * Kafka's cluster ids are Uuids in URL-safe base64 without padding: 22 chars, 16 bytes
 * (what `kafka-storage random-uuid` prints). Like Java's decoder, stray low bits in the last
 * char are ignored (Kafka's docs use MkU3OEVBNTcwNTJENDM2Qk).
 */
export function isValidClusterId(id: string): boolean {
  if (!/^[A-Za-z0-9_-]{22}$/.test(id)) return false;
  return Buffer.from(id, 'base64url').length === 16;
}
