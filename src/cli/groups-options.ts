/**
 * What every `samsa groups` subcommand shares: parsing its arguments, connecting, and turning
 * client errors into one-line messages and exit codes (1 for a failure, 2 for bad usage).
 */
import { SamsaError } from '../common/errors.js';
import { Admin, ConnectionError, GroupNotInactiveError, KafkaResponseError } from '../client/index.js';

export const DEFAULT_BOOTSTRAP_SERVER = '127.0.0.1:9092';

export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
}

/** A usage mistake: printed with the subcommand's usage, exit code 2. */
export class UsageError extends Error {}

/** Runs parseArgs (or any parser); what it throws becomes a UsageError. */
export function parseOrUsage<T>(parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** Runs `fn` with an Admin on the bootstrap server, always closing it; errors become messages and exit codes. */
export async function withAdmin(bootstrapServer: string, io: Io, fn: (admin: Admin) => Promise<number>): Promise<number> {
  let admin: Admin;
  try {
    admin = new Admin({ bootstrapServers: bootstrapServer, clientId: 'samsa-cli', retries: 3 });
  } catch (e) {
    io.err(`Error: ${(e as Error).message}`);
    return 2;
  }
  try {
    return await fn(admin);
  } catch (e) {
    io.err(`Error: ${describeError(e, bootstrapServer)}`);
    return 1;
  } finally {
    await admin.close();
  }
}

export function describeError(e: unknown, bootstrapServer: string): string {
  if (e instanceof GroupNotInactiveError) {
    return `Assignments can only be reset if the group '${e.groupId}' is inactive, but the current state is ${e.state}.`;
  }
  if (e instanceof ConnectionError) return `cannot reach the cluster (bootstrap server ${bootstrapServer}): ${e.message}`;
  if (e instanceof KafkaResponseError && e.errorName === 'UNSUPPORTED_VERSION') return `${e.message} (the broker does not support this operation)`;
  return e instanceof SamsaError || e instanceof Error ? e.message : String(e);
}

/** Plain words for the errors a group operation most often meets. */
export function groupErrorText(e: KafkaResponseError): string {
  switch (e.errorName) {
    case 'GROUP_ID_NOT_FOUND': return 'no such group';
    case 'NON_EMPTY_GROUP': return 'the group still has members';
    case 'GROUP_AUTHORIZATION_FAILED': return 'not authorized for this group';
    case 'GROUP_SUBSCRIBED_TO_TOPIC': return 'members of the group still subscribe to the topic';
    default: return e.errorName;
  }
}

/** "orders", "orders:0" or "orders:0,1,2": a topic and, optionally, some of its partitions. */
export function parseTopicSpec(spec: string): { topic: string; partitions?: number[] } {
  const colon = spec.indexOf(':');
  const topic = colon < 0 ? spec : spec.slice(0, colon);
  if (topic.length === 0) throw new UsageError(`--topic ${JSON.stringify(spec)}: no topic name`);
  if (colon < 0) return { topic };
  const partitions = spec.slice(colon + 1).split(',').map((p) => {
    if (!/^\d+$/.test(p.trim())) throw new UsageError(`--topic ${JSON.stringify(spec)}: ${JSON.stringify(p)} is not a partition number`);
    return Number(p.trim());
  });
  return { topic, partitions };
}
