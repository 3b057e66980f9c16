export * from './generated/index.js';
export * from './frame.js';
export { Reader } from './reader.js';
export { Writer } from './writer.js';
export { type Uuid, ZERO_UUID, uuidFromBytes, uuidToBytes } from './uuid.js';
export { type MessageCodec, type TaggedField, type VersionRange, EMPTY_BUFFER, encodeToBuffer, isFlexible, isValidVersion } from './codec-support.js';
export * from './records/index.js';
export * from './compression/index.js';
export * from './crc/index.js';
