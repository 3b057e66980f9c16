/**
 * Mutations of valid encodings for fuzzing decoders: each takes a frame and returns a new buffer
 * (the input is never changed). They aim at what a decoder trusts: lengths, counts, varints and
 * tagged-field sections.
 */
import type { Prng } from './prng.js';

/** Where a frame is known to hold a tagged-field section (one byte 0x00 when empty). */
export interface FrameHints {
  readonly taggedSections: readonly number[];
}

export interface Mutation {
  readonly name: string;
  apply(frame: Buffer, rng: Prng, hints: FrameHints): Buffer;
}

/** Unsigned varint bytes of a 32-bit value, as the protocol writes them. */
export function uvarintBytes(value: number): Buffer {
  const out: number[] = [];
  let u = value >>> 0;
  while (u > 0x7f) {
    out.push((u & 0x7f) | 0x80);
    u = Math.floor(u / 128);
  }
  out.push(u);
  return Buffer.from(out);
}

function replace(frame: Buffer, at: number, removed: number, inserted: Buffer): Buffer {
  return Buffer.concat([frame.subarray(0, at), inserted, frame.subarray(Math.min(frame.length, at + removed))]);
}

const flip: Mutation = {
  name: 'byte-flip',
  apply(frame, rng) {
    const out = Buffer.from(frame);
    if (out.length === 0) return out;
    const count = rng.between(1, 4);
    for (let i = 0; i < count; i++) {
      const at = rng.below(out.length);
      out[at] = rng.chance(0.5) ? out[at]! ^ (1 << rng.below(8)) : rng.below(256);
    }
    return out;
  },
};

const INT16_EXTREMES = [0x7fff, -1, -2, -0x8000, 0x4000];
const INT32_EXTREMES = [0x7fffffff, -1, -2, -0x80000000, 0x01000000, 0x0fffffff];

const intExtreme: Mutation = {
  name: 'length-extreme',
  apply(frame, rng) {
    const out = Buffer.from(frame);
    const wide = rng.chance(0.5);
    const size = wide ? 4 : 2;
    if (out.length < size) return out;
    let at = rng.below(out.length - size + 1);
    if (rng.chance(0.5)) at -= at % size;
    if (wide) out.writeInt32BE(rng.pick(INT32_EXTREMES), at);
    else out.writeInt16BE(rng.pick(INT16_EXTREMES), at);
    return out;
  },
};

function overlongVarint(rng: Prng): Buffer {
  switch (rng.below(5)) {
    case 0: return Buffer.from([...new Array<number>(rng.between(5, 11)).fill(0x80), rng.pick([0x00, 0x01, 0x7f])]);
    case 1: return Buffer.alloc(rng.between(5, 12), 0x80);
    case 2: return Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f]);
    case 3: return Buffer.from([0xff, 0xff, 0xff, 0xff, rng.between(0x10, 0x7f)]);
    default: return Buffer.from([0xfe, 0xff, 0xff, 0xff, 0x07]);
  }
}

const varint: Mutation = {
  name: 'varint-overlong',
  apply(frame, rng, hints) {
    const bytes = overlongVarint(rng);
    const at = hints.taggedSections.length > 0 && rng.chance(0.3) ? rng.pick(hints.taggedSections) : rng.below(frame.length + 1);
    return replace(frame, at, rng.chance(0.5) ? 1 : 0, bytes);
  },
};

function garbageSection(rng: Prng): Buffer {
  const parts: Buffer[] = [];
  const count = rng.chance(0.1) ? rng.pick([0x7fffffff, 0xffffffff, 1000]) : rng.between(1, 4);
  parts.push(uvarintBytes(count));
  for (let i = 0; i < Math.min(count, 4); i++) {
    parts.push(uvarintBytes(rng.chance(0.6) ? rng.below(6) : rng.uint32()));
    const size = rng.chance(0.15) ? rng.pick([0x7fffffff, 0xffffffff, 0x10000]) : rng.below(24);
    parts.push(uvarintBytes(size));
    // Usually as many bytes as claimed; huge sizes and some small ones get fewer.
    parts.push(rng.bytes(size > 64 || rng.chance(0.2) ? rng.below(Math.min(size, 24) + 1) : size));
  }
  return Buffer.concat(parts);
}

const taggedGarbage: Mutation = {
  name: 'tagged-garbage',
  apply(frame, rng, hints) {
    let at: number;
    if (hints.taggedSections.length > 0 && rng.chance(0.5)) {
      at = rng.pick(hints.taggedSections);
    } else {
      // An empty tagged-field section is a 0x00 byte; so are many other fields, which is fine.
      const start = rng.below(frame.length + 1);
      at = frame.indexOf(0, start);
      if (at < 0) at = frame.length;
    }
    return replace(frame, at, at < frame.length ? 1 : 0, garbageSection(rng));
  },
};

const truncate: Mutation = {
  name: 'truncate',
  apply(frame, rng) {
    return Buffer.from(frame.subarray(0, rng.below(frame.length + 1)));
  },
};

const splice: Mutation = {
  name: 'splice',
  apply(frame, rng) {
    const at = rng.below(frame.length + 1);
    switch (rng.below(3)) {
      case 0: return replace(frame, at, 0, rng.bytes(rng.between(1, 8)));
      case 1: return replace(frame, at, rng.between(1, 8), Buffer.alloc(0));
      default: {
        const from = rng.below(frame.length + 1);
        return replace(frame, at, 0, frame.subarray(from, from + rng.between(1, 16)));
      }
    }
  },
};

export const MUTATIONS: readonly Mutation[] = [flip, intExtreme, varint, taggedGarbage, truncate, splice];

/** One or (sometimes) two stacked mutations; returns the mutated frame and what was done. */
export function mutate(frame: Buffer, rng: Prng, hints: FrameHints): { frame: Buffer; mutation: string } {
  const first = rng.pick(MUTATIONS);
  let out = first.apply(frame, rng, hints);
  let mutation = first.name;
  if (rng.chance(0.25)) {
    const second = rng.pick(MUTATIONS);
    out = second.apply(out, rng, { taggedSections: [] });
    mutation += `+${second.name}`;
  }
  return { frame: out, mutation };
}
