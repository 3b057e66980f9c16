/**
 * The boundary around handler code: whatever a handler does (returns, rejects, throws before
 * returning a promise, resolves something that is not a Response), the connection gets one
 * outcome and the process lives on. A DecodeError means the client sent a body that does not
 * decode, which Kafka answers by closing the connection; anything else is a bug in Samsa, logged
 * as an error, and also closes the connection.
 */
import { DecodeError } from '../../common/errors.js';
import type { NetworkLogger } from './logger.js';
import type { CloseReason } from './metrics.js';
import { CLOSE_CONNECTION, type NetworkRequest, type RequestHandler, type Response, isResponse } from './request-handler.js';

export interface HandlerOutcome {
  readonly response: Response;
  /** Counted when `response` is a close. */
  readonly closeReason: CloseReason;
}

function failed(request: NetworkRequest, error: unknown, logger: NetworkLogger): HandlerOutcome {
  const fields = {
    connection: request.connection.id,
    api: request.apiInfo.name,
    apiVersion: request.header.requestApiVersion,
    correlationId: request.header.correlationId,
    error,
  };
  if (error instanceof DecodeError) {
    logger.info('closing connection: request body does not decode', fields);
    return { response: CLOSE_CONNECTION, closeReason: 'invalidRequest' };
  }
  logger.error('request handler failed; closing connection', fields);
  return { response: CLOSE_CONNECTION, closeReason: 'handlerError' };
}

/** Calls `handler.handle` now (so calls keep request order); the promise never rejects. */
export function invokeHandler(handler: RequestHandler, request: NetworkRequest, logger: NetworkLogger): Promise<HandlerOutcome> {
  let pending: Promise<Response>;
  try {
    pending = Promise.resolve(handler.handle(request));
  } catch (e) {
    pending = Promise.reject(e);
  }
  return pending.then(
    (response): HandlerOutcome => {
      if (isResponse(response)) return { response, closeReason: 'handlerClose' };
      return failed(request, new TypeError(`handler resolved ${String(response)}, not a Response`), logger);
    },
    (error: unknown) => failed(request, error, logger),
  );
}
