/**
 * The client's errors: classes with stable string codes, as in src/common/errors.ts. A Kafka
 * error code in a response becomes a KafkaResponseError that carries the code, its name and
 * whether Kafka calls it retriable (from the generated table).
 */
import { SamsaError } from '../common/errors.js';
import { errorInfo } from '../protocol/index.js';

/** The TCP connection could not be opened, or broke while requests were waiting. */
export class ConnectionError extends SamsaError {
  readonly address: string;

  constructor(address: string, message: string, options?: { cause?: unknown }) {
    super('SAMSA_ERR_CONNECTION', `${address}: ${message}`, options);
    this.address = address;
  }
}

/** The request was made on a connection (or client) that was closed on purpose. */
export class ClientClosedError extends SamsaError {
  constructor(message = 'the client is closed') {
    super('SAMSA_ERR_CLIENT_CLOSED', message);
  }
}

/** No answer within the request's timeout. */
export class RequestTimeoutError extends SamsaError {
  constructor(apiName: string, address: string, timeoutMs: number) {
    super('SAMSA_ERR_REQUEST_TIMEOUT', `${apiName} to ${address}: no response within ${timeoutMs} ms`);
  }
}

/** The broker and this client share no version of an API. */
export class UnsupportedVersionError extends SamsaError {
  constructor(message: string) {
    super('SAMSA_ERR_UNSUPPORTED_VERSION', message);
  }
}

/** Too many requests waiting on one connection. */
export class QueueFullError extends SamsaError {
  constructor(address: string, size: number) {
    super('SAMSA_ERR_QUEUE_FULL', `${address}: ${size} requests already waiting`);
  }
}

/** The broker broke the protocol: an unknown correlation id, an oversized frame. */
export class ProtocolViolationError extends SamsaError {
  constructor(message: string) {
    super('SAMSA_ERR_PROTOCOL', message);
  }
}

/** A topic or partition the cluster metadata does not have. */
export class UnknownTopicError extends SamsaError {
  readonly topic: string;

  constructor(topic: string, partition?: number) {
    super('SAMSA_ERR_UNKNOWN_TOPIC', partition === undefined ? `topic '${topic}' does not exist` : `partition ${topic}-${partition} does not exist`);
    this.topic = topic;
  }
}

/** An operation that needs a group without members (resetting offsets) met an active group. */
export class GroupNotInactiveError extends SamsaError {
  readonly groupId: string;
  readonly state: string;

  constructor(groupId: string, state: string) {
    super('SAMSA_ERR_GROUP_NOT_INACTIVE', `group '${groupId}' must be inactive, but its state is ${state}`);
    this.groupId = groupId;
    this.state = state;
  }
}

/** A Kafka error code from a response. */
export class KafkaResponseError extends SamsaError {
  readonly errorCode: number;
  readonly errorName: string;
  readonly retriable: boolean;

  constructor(errorCode: number, context: string, errorMessage?: string | null) {
    const info = errorInfo(errorCode);
    super('SAMSA_ERR_KAFKA', `${context}: ${info.name}${errorMessage ? ` (${errorMessage})` : ''}`);
    this.errorCode = errorCode;
    this.errorName = info.name;
    this.retriable = info.retriable;
  }
}

/** Throws a KafkaResponseError unless `errorCode` is NONE. */
export function throwIfError(errorCode: number, context: string, errorMessage?: string | null): void {
  if (errorCode !== 0) throw new KafkaResponseError(errorCode, context, errorMessage);
}

/** Whether trying again (after a backoff, maybe on another connection) can succeed. */
export function isRetriable(e: unknown): boolean {
  if (e instanceof KafkaResponseError) return e.retriable;
  return e instanceof ConnectionError || e instanceof RequestTimeoutError;
}

/** A producer call that its transaction state does not allow (commit before begin, send after a fatal error, …). */
export class TransactionStateError extends SamsaError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('SAMSA_ERR_TXN_STATE', message, options);
  }
}

/** A record that could not be delivered within delivery.timeout.ms, or could not be buffered within max.block.ms. */
export class ProducerTimeoutError extends SamsaError {
  constructor(message: string) {
    super('SAMSA_ERR_PRODUCER_TIMEOUT', message);
  }
}

/** A record larger than max.request.size or buffer.memory. */
export class RecordTooLargeError extends SamsaError {
  constructor(message: string) {
    super('SAMSA_ERR_RECORD_TOO_LARGE', message);
  }
}
