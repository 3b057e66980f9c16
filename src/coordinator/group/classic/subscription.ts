/**
 * The topics a classic group's members subscribe to, read from their "consumer" protocol
 * metadata (ConsumerProtocolSubscription). Like Kafka, every version is read as v0, the prefix
 * all versions share, so newer client versions still parse.
 */
import { DecodeError } from '../../../common/errors.js';
import { ConsumerProtocolSubscription, Reader } from '../../../protocol/index.js';

export const CONSUMER_PROTOCOL_TYPE = 'consumer';

/** The subscribed topics of one member, or undefined when the metadata does not parse. */
export function subscribedTopicsOf(metadata: Buffer): string[] | undefined {
  try {
    const r = new Reader(metadata);
    const version = r.int16();
    if (version < 0) return undefined;
    return ConsumerProtocolSubscription.decode(r, 0).topics;
  } catch (err) {
    if (err instanceof DecodeError) return undefined;
    throw err;
  }
}
