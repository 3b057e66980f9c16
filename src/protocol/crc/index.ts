export { type Crc32cFunction, crc32c, crc32cImplementation, crc32cNative, crc32cPure } from './crc32c.js';
export { type Crc32Function, crc32, crc32Pure } from './crc32.js';
