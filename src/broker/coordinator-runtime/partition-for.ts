/**
 * Which partition of a coordinator's internal topic owns a key (a group id in
 * `__consumer_offsets`, a transactional id in `__transaction_state`): Kafka hashes the key with
 * Java's String.hashCode and takes Utils.abs of it modulo the partition count. Both are
 * reproduced exactly, so a key lands on the same partition as on a Kafka broker.
 */

/** Java's String.hashCode: h = 31 * h + c over UTF-16 code units, wrapping at 32 bits. */
export function javaStringHashCode(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

/** Kafka's Utils.abs: |n|, except that Integer.MIN_VALUE (which has no positive twin) gives 0. */
export function kafkaAbs(n: number): number {
  return n === -2147483648 ? 0 : Math.abs(n);
}

export function partitionForKey(key: string, partitionCount: number): number {
  return kafkaAbs(javaStringHashCode(key)) % partitionCount;
}
