/**
 * Randomness behind an interface: the system source, or a seeded one for reproducible tests.
 */
import { randomBytes, randomInt } from 'node:crypto';

export interface Random {
  /** An integer in [0, maxExclusive). */
  int(maxExclusive: number): number;
  bytes(size: number): Buffer;
}

export const systemRandom: Random = {
  int: (maxExclusive) => randomInt(maxExclusive),
  bytes: (size) => randomBytes(size),
};

/** A small seeded generator (mulberry32): the same seed gives the same sequence. */
export class SeededRandom implements Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  private next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive);
  }

  bytes(size: number): Buffer {
    const b = Buffer.allocUnsafe(size);
    for (let i = 0; i < size; i++) b[i] = this.int(256);
    return b;
  }
}
