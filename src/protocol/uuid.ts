/**
 * Kafka's Uuid: 16 bytes on the wire, shown as 22 characters of URL-safe base64 without padding
 * (the form Kafka's tools print). Samsa keeps it as that string.
 */
export type Uuid = string & { readonly __brand?: 'Uuid' };

export const ZERO_UUID: Uuid = 'AAAAAAAAAAAAAAAAAAAAAA';

export function uuidFromBytes(bytes: Buffer, offset = 0): Uuid {
  return bytes.toString('base64url', offset, offset + 16);
}

export function uuidToBytes(uuid: Uuid): Buffer {
  const bytes = Buffer.from(uuid, 'base64url');
  if (bytes.length !== 16 || uuid.length !== 22) {
    throw new RangeError(`not a Kafka uuid: ${JSON.stringify(uuid)}`);
  }
  return bytes;
}
