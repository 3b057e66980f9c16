/**
 * Kafka's rules for topic names (`org.apache.kafka.common.internals.Topic`): ASCII letters,
 * digits, '.', '_' and '-', at most 249 characters, not "." or "..". Because '.' and '_' both
 * become '_' in metric names, two topics that differ only there collide.
 */

export const MAX_TOPIC_NAME_LENGTH = 249;

const LEGAL_TOPIC_NAME = /^[a-zA-Z0-9._-]+$/;

/** Why `name` is not a legal topic name (Kafka's message), or null when it is. */
export function topicNameError(name: string): string | null {
  if (name.length === 0) return "Topic name is illegal, it can't be empty";
  if (name === '.' || name === '..') return 'Topic name cannot be "." or ".."';
  if (name.length > MAX_TOPIC_NAME_LENGTH) {
    return `Topic name is illegal, it can't be longer than ${MAX_TOPIC_NAME_LENGTH} characters, topic name: ${name}`;
  }
  if (!LEGAL_TOPIC_NAME.test(name)) {
    return `Topic name "${name}" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'`;
  }
  return null;
}

export function hasCollisionChars(name: string): boolean {
  return name.includes('.') || name.includes('_');
}

/** The name with every '.' replaced by '_': equal results collide. */
export function unifyCollisionChars(name: string): string {
  return name.replaceAll('.', '_');
}

/** Existing topic names with '.' or '_', by their unified form: what new names may collide with. */
export function collisionIndex(names: Iterable<string>): Map<string, string> {
  const index = new Map<string, string>();
  for (const name of names) if (hasCollisionChars(name)) index.set(unifyCollisionChars(name), name);
  return index;
}

/** The topic in `index` that `name` collides with, or null. */
export function collidingTopic(name: string, index: ReadonlyMap<string, string>): string | null {
  if (!hasCollisionChars(name)) return null;
  return index.get(unifyCollisionChars(name)) ?? null;
}
