/**
 * Runs a decoder over mutations of valid frames and collects every exception that is not one
 * the decoder is allowed to throw. Deterministic: the same seed gives the same frames.
 */
import { type FrameHints, mutate } from './mutate.js';
import type { Prng } from './prng.js';

export interface FuzzSeed {
  /** What the frame encodes, e.g. "FetchResponse"; names failures. */
  readonly label: string;
  readonly version: number;
  readonly frame: Buffer;
  readonly hints: FrameHints;
}

export interface FuzzTarget {
  decode(frame: Buffer, seed: FuzzSeed): unknown;
  /** Whether an exception is one the decoder may throw for bad input. */
  allowed(error: unknown): boolean;
}

export interface FuzzFailure {
  readonly label: string;
  readonly version: number;
  readonly mutation: string;
  readonly error: unknown;
  readonly frame: Buffer;
}

const MAX_KEPT_FAILURES = 50;

export class FuzzRun {
  /** Frames decoded, seeds included. */
  count = 0;
  /** Frames that threw an allowed error (the rest decoded, or failed). */
  rejected = 0;
  failureCount = 0;
  readonly failures: FuzzFailure[] = [];
  private readonly seen = new Set<string>();

  constructor(private readonly target: FuzzTarget) {}

  /** Decodes one frame; an exception the target does not allow is recorded. */
  attempt(seed: FuzzSeed, frame: Buffer, mutation: string): void {
    this.count++;
    try {
      this.target.decode(frame, seed);
    } catch (error) {
      this.caught(seed, frame, mutation, error);
    }
  }

  /** As attempt, for a target whose decode returns a promise. */
  async attemptAsync(seed: FuzzSeed, frame: Buffer, mutation: string): Promise<void> {
    this.count++;
    try {
      await this.target.decode(frame, seed);
    } catch (error) {
      this.caught(seed, frame, mutation, error);
    }
  }

  async mutationsAsync(seed: FuzzSeed, count: number, rng: Prng): Promise<void> {
    await this.attemptAsync(seed, seed.frame, 'none');
    for (let i = 0; i < count; i++) {
      const m = mutate(seed.frame, rng, seed.hints);
      await this.attemptAsync(seed, m.frame, m.mutation);
    }
  }

  private caught(seed: FuzzSeed, frame: Buffer, mutation: string, error: unknown): void {
    if (mutation !== 'none' && this.target.allowed(error)) {
      this.rejected++;
      return;
    }
    this.record({ label: seed.label, version: seed.version, mutation, error, frame });
  }

  /** The unmutated seed must decode; then `count` random mutations of it. */
  mutations(seed: FuzzSeed, count: number, rng: Prng): void {
    this.attempt(seed, seed.frame, 'none');
    for (let i = 0; i < count; i++) {
      const m = mutate(seed.frame, rng, seed.hints);
      this.attempt(seed, m.frame, m.mutation);
    }
  }

  /** Every proper prefix of the seed, shortest first. */
  truncations(seed: FuzzSeed): void {
    for (let size = 0; size < seed.frame.length; size++) {
      this.attempt(seed, seed.frame.subarray(0, size), `truncate-at-${size}`);
    }
  }

  private record(f: FuzzFailure): void {
    this.failureCount++;
    // One report per codec, version and throwing site is enough to act on.
    const key = `${f.label}/${f.version}/${errorName(f.error)}/${firstFrame(f.error)}`;
    if (this.seen.has(key) || this.failures.length >= MAX_KEPT_FAILURES) return;
    this.seen.add(key);
    this.failures.push(f);
  }
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.constructor.name : typeof error;
}

/** The first stack frame outside Node's internals: where our code threw. */
function firstFrame(error: unknown): string {
  if (!(error instanceof Error) || error.stack === undefined) return '';
  const frames = error.stack.split('\n').filter((l) => l.trimStart().startsWith('at '));
  return frames.find((l) => !l.includes('(node:') && !l.includes(' node:')) ?? frames[0] ?? '';
}

const MAX_HEX_BYTES = 4096;

export function hexOf(frame: Buffer): string {
  if (frame.length <= MAX_HEX_BYTES) return frame.toString('hex');
  return `${frame.subarray(0, MAX_HEX_BYTES).toString('hex')}… (${frame.length} bytes)`;
}

export function formatFailure(f: FuzzFailure): string {
  const what = f.error instanceof Error ? `${errorName(f.error)}: ${f.error.message}` : `non-Error thrown: ${String(f.error)}`;
  return [
    `${f.label} v${f.version} [${f.mutation}] threw ${what}`,
    `  ${firstFrame(f.error).trim()}`,
    `  frame (${f.frame.length} bytes): ${hexOf(f.frame)}`,
  ].join('\n');
}

export function formatFailures(run: FuzzRun): string {
  const shown = run.failures.map(formatFailure).join('\n');
  return `${run.failureCount} of ${run.count} frames threw an exception other than the allowed ones ` +
    `(${run.failures.length} distinct shown):\n${shown}`;
}
