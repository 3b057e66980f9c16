/**
 * "Did you mean": the known config name closest to an unknown one. Catches typos, wrong case,
 * underscores or dashes for dots, and the classic mix-up of topic and broker names
 * (retention.ms in server.properties, log.retention.ms on a topic).
 */
import { BROKER_DEFS, TOPIC_DEFS, topicConfigForBrokerName } from './registry.js';

/** Levenshtein distance with an early exit once every cell of a row exceeds `limit`. */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length] ?? 0;
}

function normalise(name: string): string {
  return name.trim().toLowerCase().replace(/[_-]/g, '.');
}

/** The closest of `candidates` within a distance that grows slowly with the name's length. */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  const wanted = normalise(name);
  const limit = Math.max(1, Math.min(3, Math.floor(wanted.length / 5)));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    if (candidate === wanted) return candidate;
    const distance = editDistance(wanted, candidate, limit);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** A suggestion for an unknown broker config name. */
export function suggestBrokerConfig(name: string): string | undefined {
  const asTopic = TOPIC_DEFS.get(normalise(name));
  const firstSynonym = asTopic?.brokerSynonyms[0]?.name;
  if (firstSynonym !== undefined) return firstSynonym;
  return closestName(name, BROKER_DEFS.keys());
}

/** A suggestion for an unknown topic config name. */
export function suggestTopicConfig(name: string): string | undefined {
  const fromBroker = topicConfigForBrokerName(normalise(name));
  if (fromBroker !== undefined) return fromBroker.name;
  return closestName(name, TOPIC_DEFS.keys());
}
