import { SamsaError } from '../../common/errors.js';

export type CorruptRecordReason = 'checksum' | 'magic' | 'size' | 'structure';

/**
 * A batch or message that is complete but wrong: CRC mismatch, unknown magic, a size field below
 * the format's minimum, or contents that contradict the header (Kafka's CorruptRecordException
 * and InvalidRecordException; the broker answers CORRUPT_MESSAGE or INVALID_RECORD). Bytes that
 * simply end too early are DecodeError instead.
 */
export class CorruptRecordError extends SamsaError {
  readonly reason: CorruptRecordReason;

  constructor(reason: CorruptRecordReason, message: string) {
    super('SAMSA_ERR_CORRUPT_RECORD', message);
    this.reason = reason;
  }
}
