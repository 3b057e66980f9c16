/**
 * Version negotiation: for each API, the highest version both this client and the broker
 * support. The client's range comes from the generated tables; a latest version the schema
 * marks unstable is left out, as Kafka's clients do unless told otherwise.
 */
import { readFileSync } from 'node:fs';
import { apiInfo, type ApiVersionsResponse, type VersionRange } from '../protocol/index.js';
import { UnsupportedVersionError } from './errors.js';

/** The versions this client can send for an API, or undefined when it knows no such API. */
export function clientVersions(apiKey: number): VersionRange | undefined {
  const info = apiInfo(apiKey);
  if (!info) return undefined;
  const max = info.latestVersionUnstable ? info.validVersions.max - 1 : info.validVersions.max;
  return max < info.validVersions.min ? undefined : { min: info.validVersions.min, max };
}

export class NegotiatedVersions {
  private readonly ranges = new Map<number, VersionRange>();

  constructor(brokerApis: ApiVersionsResponse['apiKeys']) {
    for (const a of brokerApis) {
      const ours = clientVersions(a.apiKey);
      if (!ours) continue;
      const min = Math.max(ours.min, a.minVersion);
      const max = Math.min(ours.max, a.maxVersion);
      if (min <= max) this.ranges.set(a.apiKey, { min, max });
    }
  }

  /** The shared range for an API, or undefined when there is none. */
  range(apiKey: number): VersionRange | undefined {
    return this.ranges.get(apiKey);
  }

  supports(apiKey: number, minVersion = 0): boolean {
    const r = this.ranges.get(apiKey);
    return r !== undefined && r.max >= minVersion;
  }

  /** The highest shared version, at least `minVersion`; throws when there is none. */
  highest(apiKey: number, minVersion = 0): number {
    const r = this.ranges.get(apiKey);
    const name = apiInfo(apiKey)?.name ?? `API ${apiKey}`;
    if (!r) throw new UnsupportedVersionError(`the broker does not support ${name}`);
    if (r.max < minVersion) throw new UnsupportedVersionError(`${name}: the broker supports up to v${r.max}, this client needs v${minVersion}+`);
    return r.max;
  }
}

/** What ApiVersions v3+ tells the broker about this client (KIP-511). */
export const CLIENT_SOFTWARE_NAME = 'samsa-client';
export const CLIENT_SOFTWARE_VERSION = readPackageVersion();

function readPackageVersion(): string {
  try {
    // dist/src/client/versions.js → the package root, three levels up.
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}
