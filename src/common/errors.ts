/**
 * Library errors: classes with stable string codes. Kafka's numeric error codes are data
 * (see src/protocol/generated/errors.ts) and are never thrown as these.
 */
export class SamsaError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** Bytes from the network or disk that do not decode: a length past the end, a bad varint, … */
export class DecodeError extends SamsaError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('SAMSA_ERR_DECODE', message, options);
  }
}

/** A value that cannot be encoded at the requested version or within the format's limits. */
export class EncodeError extends SamsaError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('SAMSA_ERR_ENCODE', message, options);
  }
}

/** A broken invariant: a bug in Samsa, never a consequence of input. */
export class AssertionError extends SamsaError {
  constructor(message: string) {
    super('SAMSA_ERR_ASSERTION', message);
  }
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new AssertionError(message);
}
