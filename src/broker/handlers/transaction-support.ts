/**
 * What the transaction API handlers share: the request context the transaction coordinator
 * shards see, and reshaping a shard's answer before the runtime releases it.
 */
import { type CoordinatorResult, DeferredResponse, type RequestContext } from '../../coordinator/runtime-api.js';
import type { NetworkRequest } from '../network/index.js';

/** Kafka reports a client's host as InetAddress.toString: "/" and the address. */
export function transactionRequestContext(request: NetworkRequest, apiVersion: number): RequestContext {
  return { apiVersion, clientId: request.header.clientId ?? '', clientHost: `/${request.connection.remoteAddress}` };
}

/** The same result (records, onDurable, transactional write) with its response passed through `map`. */
export function mapResponse<A, B, R>(result: CoordinatorResult<A, R>, map: (response: A) => B): CoordinatorResult<B, R> {
  const response = result.response;
  if (!(response instanceof DeferredResponse)) return { ...result, response: map(response) };
  const mapped = new DeferredResponse<B>();
  void response.promise.then((value) => mapped.complete(map(value)));
  return { ...result, response: mapped };
}
