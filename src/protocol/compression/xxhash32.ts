/**
 * xxHash32, which the LZ4 frame format uses for its header checksum byte and its optional block
 * and content checksums. Written from the published algorithm description (four lanes of
 * 32-bit multiply-rotate rounds, then a tail and an avalanche).
 */

const PRIME1 = 0x9e3779b1;
const PRIME2 = 0x85ebca77;
const PRIME3 = 0xc2b2ae3d;
const PRIME4 = 0x27d4eb2f;
const PRIME5 = 0x165667b1;

const rotl = (x: number, r: number): number => (x << r) | (x >>> (32 - r));

function round(acc: number, lane: number): number {
  return Math.imul(rotl((acc + Math.imul(lane, PRIME2)) | 0, 13), PRIME1);
}

export function xxhash32(data: Uint8Array, seed = 0): number {
  const size = data.length;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let i = 0;
  let acc: number;
  if (size >= 16) {
    let v1 = (seed + PRIME1 + PRIME2) | 0;
    let v2 = (seed + PRIME2) | 0;
    let v3 = seed | 0;
    let v4 = (seed - PRIME1) | 0;
    const limit = size - 16;
    while (i <= limit) {
      v1 = round(v1, view.getUint32(i, true));
      v2 = round(v2, view.getUint32(i + 4, true));
      v3 = round(v3, view.getUint32(i + 8, true));
      v4 = round(v4, view.getUint32(i + 12, true));
      i += 16;
    }
    acc = (rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18)) | 0;
  } else {
    acc = (seed + PRIME5) | 0;
  }
  acc = (acc + size) | 0;
  while (i + 4 <= size) {
    acc = Math.imul(rotl((acc + Math.imul(view.getUint32(i, true), PRIME3)) | 0, 17), PRIME4);
    i += 4;
  }
  while (i < size) {
    acc = Math.imul(rotl((acc + Math.imul(data[i]!, PRIME5)) | 0, 11), PRIME1);
    i++;
  }
  acc ^= acc >>> 15;
  acc = Math.imul(acc, PRIME2);
  acc ^= acc >>> 13;
  acc = Math.imul(acc, PRIME3);
  acc ^= acc >>> 16;
  return acc >>> 0;
}
