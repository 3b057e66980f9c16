/**
 * Cuts a byte stream into int32 size-prefixed frames.
 *
 * Chunks are kept in a list as they arrive and each frame is copied at most once, when it is
 * taken; a frame that lies inside one chunk is returned as a view of it (zero copy). The size
 * prefix is checked as soon as its four bytes are in, before any of the frame is waited for, so
 * a client cannot make the server buffer more than `maxFrameBytes` for one frame (Kafka's
 * NetworkReceive does the same with socket.request.max.bytes). A frame that has to be copied goes
 * into a buffer from `allocate`, which holds nothing else, so its owner may recycle it.
 */
import { SamsaError } from '../../common/errors.js';

const SIZE_PREFIX_BYTES = 4;

export type FrameSizeProblem = 'negativeSize' | 'frameTooLarge';

/** A size prefix Kafka would refuse; the connection must be closed. */
export class FrameSizeError extends SamsaError {
  readonly problem: FrameSizeProblem;
  readonly size: number;

  constructor(problem: FrameSizeProblem, size: number, maxFrameBytes: number) {
    const why = problem === 'negativeSize' ? 'is negative' : `is larger than ${maxFrameBytes}`;
    super('SAMSA_ERR_FRAME_SIZE', `frame size ${size} ${why}`);
    this.problem = problem;
    this.size = size;
  }
}

/** A frame taken off the stream. */
export interface TakenFrame {
  /** The frame without its size prefix. */
  readonly frame: Buffer;
  /**
   * Set when the frame was copied out of several socket chunks: the whole buffer `allocate`
   * returned (`frame` is its start), which nothing else refers to. Unset for a view of a chunk.
   */
  readonly copy?: Buffer;
}

export class FrameReader {
  private readonly maxFrameBytes: number;
  private readonly allocate: (size: number) => Buffer;
  private chunks: Buffer[] = [];
  /** Index of the first chunk still in use; consumed chunks before it are dropped lazily. */
  private head = 0;
  /** Bytes of chunks[head] already consumed. */
  private headOffset = 0;
  private buffered = 0;
  /** Size of the frame being assembled, once its prefix has been read; -1 before. */
  private frameSize = -1;
  private failure: FrameSizeError | undefined;

  constructor(maxFrameBytes: number, allocate: (size: number) => Buffer = (size) => Buffer.allocUnsafe(size)) {
    this.maxFrameBytes = maxFrameBytes;
    this.allocate = allocate;
  }

  /** Bytes held: the partial frame being assembled plus any later bytes not yet taken. */
  get bufferedBytes(): number {
    return this.buffered;
  }

  /**
   * The bad size prefix met so far, if any. Frames before it are still handed out; after it the
   * stream is unusable and the connection must be closed.
   */
  get error(): FrameSizeError | undefined {
    return this.failure;
  }

  /** Adds bytes from the socket; returns the size error if this chunk revealed one. */
  push(chunk: Buffer): FrameSizeError | undefined {
    if (this.failure !== undefined || chunk.length === 0) return this.failure;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    this.readSizePrefix();
    return this.failure;
  }

  /** True when `next()` would return a frame. */
  hasFrame(): boolean {
    return this.failure === undefined && this.frameSize >= 0 && this.buffered >= this.frameSize;
  }

  /** The next whole frame (without its size prefix), or undefined when none is complete. */
  next(): Buffer | undefined {
    return this.nextFrame()?.frame;
  }

  /** The next whole frame, saying whether it is a copy the caller owns. */
  nextFrame(): TakenFrame | undefined {
    if (!this.hasFrame()) return undefined;
    const taken = this.take(this.frameSize, this.allocate);
    this.frameSize = -1;
    this.readSizePrefix();
    return taken;
  }

  private readSizePrefix(): void {
    if (this.frameSize >= 0 || this.buffered < SIZE_PREFIX_BYTES) return;
    const size = this.take(SIZE_PREFIX_BYTES, Buffer.allocUnsafe).frame.readInt32BE(0);
    if (size < 0) this.fail(new FrameSizeError('negativeSize', size, this.maxFrameBytes));
    else if (size > this.maxFrameBytes) this.fail(new FrameSizeError('frameTooLarge', size, this.maxFrameBytes));
    else this.frameSize = size;
  }

  private fail(error: FrameSizeError): void {
    this.failure = error;
    this.chunks = [];
    this.head = 0;
    this.headOffset = 0;
    this.buffered = 0;
  }

  /** Removes `size` bytes from the front: a view when one chunk holds them, else one copy into `allocate(size)`. */
  private take(size: number, allocate: (size: number) => Buffer): TakenFrame {
    this.buffered -= size;
    const first = this.chunks[this.head];
    if (first === undefined) return { frame: EMPTY };
    const available = first.length - this.headOffset;
    if (available >= size) {
      const view = first.subarray(this.headOffset, this.headOffset + size);
      this.advance(first, size);
      return { frame: view };
    }
    const out = allocate(size);
    let filled = 0;
    while (filled < size) {
      const chunk = this.chunks[this.head]!;
      const n = Math.min(chunk.length - this.headOffset, size - filled);
      chunk.copy(out, filled, this.headOffset, this.headOffset + n);
      filled += n;
      this.advance(chunk, n);
    }
    return { frame: out.length === size ? out : out.subarray(0, size), copy: out };
  }

  private advance(chunk: Buffer, n: number): void {
    this.headOffset += n;
    if (this.headOffset < chunk.length) return;
    this.chunks[this.head] = EMPTY;
    this.head++;
    this.headOffset = 0;
    if (this.head === this.chunks.length) {
      this.chunks = [];
      this.head = 0;
    } else if (this.head >= 64 && this.head * 2 >= this.chunks.length) {
      this.chunks = this.chunks.slice(this.head);
      this.head = 0;
    }
  }
}

const EMPTY = Buffer.alloc(0);
