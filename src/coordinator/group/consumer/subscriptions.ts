/**
 * What a group subscribes to: topic names and regular expressions resolved against the metadata
 * image into the subscribed-topic metadata (id and partition count) that the assignors use and
 * ConsumerGroupPartitionMetadata persists.
 *
 * A regex is a JavaScript RegExp (unicode mode) that must match a whole topic name; internal
 * topics never match. Kafka uses RE2/J: for the patterns consumers use on topic names (literals,
 * classes, `.*`, alternation) the two agree.
 */
import type { MetadataImage } from '../../../metadata/index.js';
import type { Uuid } from '../../../protocol/index.js';
import type { ConsumerGroup, SubscribedTopic, SubscriptionMetadata } from './group.js';
import { activeRegex, type ConsumerMember } from './member.js';

export const INTERNAL_TOPICS: ReadonlySet<string> = new Set(['__consumer_offsets', '__transaction_state', '__share_group_state']);

/** A bounded cache of compiled patterns (client input: never grows without limit). */
const MAX_CACHED_PATTERNS = 1024;
const compiled = new Map<string, RegExp>();

/** The reason the pattern does not compile, or null when it is valid. */
export function regexError(pattern: string): string | null {
  try {
    new RegExp(pattern, 'u');
    return null;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const i = message.lastIndexOf(': ');
    return i >= 0 ? message.slice(i + 2) : message;
  }
}

function wholeNameMatcher(pattern: string): RegExp | null {
  let re = compiled.get(pattern);
  if (re) return re;
  if (regexError(pattern) !== null) return null;
  re = new RegExp(`^(?:${pattern})$`, 'u');
  if (compiled.size >= MAX_CACHED_PATTERNS) compiled.clear();
  compiled.set(pattern, re);
  return re;
}

export function regexMatchesTopic(pattern: string, topicName: string): boolean {
  if (INTERNAL_TOPICS.has(topicName)) return false;
  return wholeNameMatcher(pattern)?.test(topicName) ?? false;
}

/** Topic names of the image a member's regex selects. */
function regexTopics(member: ConsumerMember, image: MetadataImage): string[] {
  const pattern = activeRegex(member);
  if (pattern === null) return [];
  const out: string[] = [];
  for (const name of image.topicsByName.keys()) if (regexMatchesTopic(pattern, name)) out.push(name);
  return out;
}

/** The names a member subscribes to: its topic names and the topics its regex matches now. */
export function memberTopicNames(member: ConsumerMember, image: MetadataImage): Set<string> {
  const names = new Set(member.subscribedTopicNames);
  for (const name of regexTopics(member, image)) names.add(name);
  return names;
}

export function memberSubscribesTo(member: ConsumerMember, topicName: string): boolean {
  if (member.subscribedTopicNames.includes(topicName)) return true;
  const pattern = activeRegex(member);
  return pattern !== null && regexMatchesTopic(pattern, topicName);
}

/** The subscribed topics of the group's members that exist in the image. */
export function computeSubscriptionMetadata(group: ConsumerGroup, image: MetadataImage): Map<string, SubscribedTopic> {
  const out = new Map<string, SubscribedTopic>();
  for (const member of group.members.values()) {
    for (const name of memberTopicNames(member, image)) {
      if (out.has(name)) continue;
      const topic = image.topicsByName.get(name);
      if (topic) out.set(name, { topicId: topic.topicId, topicName: name, numPartitions: topic.partitions.size });
    }
  }
  return out;
}

export function subscriptionMetadataEquals(a: SubscriptionMetadata, b: SubscriptionMetadata): boolean {
  if (a.size !== b.size) return false;
  for (const [name, t] of a) {
    const o = b.get(name);
    if (!o || o.topicId !== t.topicId || o.numPartitions !== t.numPartitions) return false;
  }
  return true;
}

/** The ids of the member's subscribed topics present in the subscription metadata. */
export function memberTopicIds(member: ConsumerMember, metadata: SubscriptionMetadata, image: MetadataImage): Set<Uuid> {
  const ids = new Set<Uuid>();
  for (const name of memberTopicNames(member, image)) {
    const t = metadata.get(name);
    if (t) ids.add(t.topicId);
  }
  return ids;
}
