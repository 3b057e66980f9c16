import { DecodeError, EncodeError } from '../common/errors.js';
import type { Reader } from '../protocol/reader.js';
import type { Writer } from '../protocol/writer.js';

/**
 * How the values of records in the metadata log become typed records and back (Kafka's
 * `RecordSerde`). The log itself moves bytes; the layer above chooses the serde.
 */
export interface RecordSerde<T> {
  /** Writes the value of one record. */
  write(w: Writer, record: T): void;
  /** Reads one record from its whole value; trailing bytes are an error. */
  read(value: Buffer): T;
}

/**
 * The frame version Kafka writes ahead of every metadata record (`AbstractApiMessageSerde`,
 * `DEFAULT_FRAME_VERSION = 1`). Frame version 0 was the KRaft preview of Kafka 2.8 and is refused.
 */
export const API_MESSAGE_FRAME_VERSION = 1;

/** The frame in front of a record's bytes: which message it is and at which schema version. */
export interface ApiMessageFrame {
  apiKey: number;
  version: number;
}

const INT16_MAX = 0x7fff;

function checkShort(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 0 || value > INT16_MAX) throw new EncodeError(`${what} ${value} is not in 0..${INT16_MAX}`);
}

/**
 * Writes the frame: frame version, apiKey and version, each an unsigned varint. The message
 * itself follows, encoded at `version`.
 */
export function writeApiMessageFrame(w: Writer, frame: ApiMessageFrame): void {
  checkShort(frame.apiKey, 'apiKey');
  checkShort(frame.version, 'version');
  w.uvarint(API_MESSAGE_FRAME_VERSION);
  w.uvarint(frame.apiKey);
  w.uvarint(frame.version);
}

function readShort(r: Reader, what: string): number {
  const value = r.uvarint();
  if (value > INT16_MAX) throw new DecodeError(`metadata record ${what} ${value} is too large`);
  return value;
}

/** Reads the frame at the reader's position and leaves it at the start of the message. */
export function readApiMessageFrame(r: Reader): ApiMessageFrame {
  const frameVersion = readShort(r, 'frame version');
  if (frameVersion === 0) {
    throw new DecodeError('metadata record with frame version 0 (the KRaft preview of Kafka 2.8) is not supported');
  }
  if (frameVersion !== API_MESSAGE_FRAME_VERSION) {
    throw new DecodeError(`metadata record frame version ${frameVersion}; only ${API_MESSAGE_FRAME_VERSION} is supported`);
  }
  const apiKey = readShort(r, 'type');
  const version = readShort(r, 'version');
  return { apiKey, version };
}

/** Checks that a reader consumed a record's value exactly. */
export function expectFullyRead(r: Reader, what: string): void {
  if (r.remaining !== 0) throw new DecodeError(`${r.remaining} byte(s) of garbage after ${what}`);
}

