/**
 * The bytes of a `__transaction_state` record. Key: int16 version (0, also the coordinator record
 * type of TransactionLog) then TransactionLogKey. Value: int16 version then TransactionLogValue;
 * null is a tombstone.
 *
 * Kafka writes value version 0 until transaction.version 1 is finalized; version 1 is the
 * flexible one whose tagged fields carry the previous/next producer id and the client's
 * transaction version. We write version 0 whenever the value needs none of them (always, for
 * the records this coordinator makes) and version 1 otherwise; both decode.
 */
import { DecodeError } from '../../common/errors.js';
import { Reader, transactionRecords, Writer } from '../../protocol/index.js';
import { type TransactionRecord, TransactionState } from './shard-api.js';

export const TRANSACTION_LOG_KEY_VERSION = 0;

const MAX_STATE_ID = Math.max(...Object.values(TransactionState));

function valueVersion(value: transactionRecords.TransactionLogValue): number {
  const needsTaggedFields = value.previousProducerId !== -1n || value.nextProducerId !== -1n
    || value.clientTransactionVersion !== 0 || (value._unknownTaggedFields?.length ?? 0) > 0;
  return needsTaggedFields ? 1 : 0;
}

export function encodeTransactionRecord(record: TransactionRecord): { key: Buffer; value: Buffer | null } {
  const kw = new Writer(32 + record.key.transactionalId.length * 3);
  kw.int16(TRANSACTION_LOG_KEY_VERSION);
  transactionRecords.TransactionLogKey.encode(kw, TRANSACTION_LOG_KEY_VERSION, record.key);
  if (record.value === null) return { key: kw.toBuffer(), value: null };
  const version = valueVersion(record.value);
  const vw = new Writer(128);
  vw.int16(version);
  transactionRecords.TransactionLogValue.encode(vw, version, record.value);
  return { key: kw.toBuffer(), value: vw.toBuffer() };
}

/** Null for a key version this coordinator does not know (Kafka skips those at load). */
export function decodeTransactionRecord(key: Buffer, value: Buffer | null): TransactionRecord | null {
  const kr = new Reader(key);
  const keyVersion = kr.int16();
  if (keyVersion !== TRANSACTION_LOG_KEY_VERSION) return null;
  const decodedKey = transactionRecords.TransactionLogKey.decode(kr, keyVersion);
  if (kr.remaining !== 0) throw new DecodeError(`TransactionLogKey: ${kr.remaining} bytes past the end of the key`);
  if (value === null) return { type: 'TransactionLog', key: { transactionalId: decodedKey.transactionalId }, value: null };
  const vr = new Reader(value);
  const version = vr.int16();
  const valid = transactionRecords.TransactionLogValue.validVersions;
  if (version < valid.min || version > valid.max) throw new DecodeError(`TransactionLogValue: unknown version ${version}`);
  const decodedValue = transactionRecords.TransactionLogValue.decode(vr, version);
  if (vr.remaining !== 0) throw new DecodeError(`TransactionLogValue: ${vr.remaining} bytes past the end of the value`);
  const status = decodedValue.transactionStatus;
  if (status < 0 || status > MAX_STATE_ID) throw new DecodeError(`TransactionLogValue: unknown transaction state ${status}`);
  return { type: 'TransactionLog', key: { transactionalId: decodedKey.transactionalId }, value: decodedValue };
}
