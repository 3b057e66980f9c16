/**
 * Splits a byte stream into size-prefixed frames. Chunks are kept as they arrive and joined
 * once per frame, so a large response read in many pieces is copied once, not once per piece.
 */
import { ProtocolViolationError } from './errors.js';

export class FrameReader {
  private chunks: Buffer[] = [];
  private buffered = 0;

  constructor(private readonly maxFrameSize: number) {}

  /** Adds bytes; returns every frame (without its size prefix) they complete. */
  push(chunk: Buffer): Buffer[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const frames: Buffer[] = [];
    for (;;) {
      if (this.buffered < 4) return frames;
      const size = this.peekSize();
      if (size < 0 || size > this.maxFrameSize) {
        throw new ProtocolViolationError(`response frame of ${size} bytes (limit ${this.maxFrameSize})`);
      }
      if (this.buffered < 4 + size) return frames;
      const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.buffered);
      frames.push(all.subarray(4, 4 + size));
      const rest = all.subarray(4 + size);
      this.chunks = rest.length > 0 ? [rest] : [];
      this.buffered = rest.length;
    }
  }

  private peekSize(): number {
    const first = this.chunks[0]!;
    if (first.length >= 4) return first.readInt32BE(0);
    const head = Buffer.concat(this.chunks, this.buffered).subarray(0, 4);
    return head.readInt32BE(0);
  }
}
