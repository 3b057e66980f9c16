/**
 * Counters for tests and metrics. Plain numbers updated in place; `snapshot()` copies them.
 * Names follow Kafka's socket-server metrics where one exists (connection-count, request-total,
 * incoming-byte-total, outgoing-byte-total, connection-close-total).
 */

/** Why a connection was closed; each close is counted under exactly one reason. */
export type CloseReason =
  /** The client closed its end, or the socket failed under it (reset, broken pipe). */
  | 'clientDisconnect'
  /** No bytes in or out for connections.max.idle.ms. */
  | 'idle'
  /** A size prefix above socket.request.max.bytes. */
  | 'frameTooLarge'
  /** A negative size prefix. */
  | 'negativeSize'
  /** A frame whose request header does not decode. */
  | 'invalidHeader'
  /** An API key unknown to Samsa or not served on this listener. */
  | 'unknownApiKey'
  /** A version outside the served range (ApiVersions excepted). */
  | 'unsupportedVersion'
  /** A body the network layer or the handler could not decode. */
  | 'invalidRequest'
  /** The handler resolved `{ kind: 'close' }`. */
  | 'handlerClose'
  /** The handler threw or resolved something that is not a Response. */
  | 'handlerError'
  /** Refused at accept: max.connections. */
  | 'maxConnections'
  /** Refused at accept: max.connections.per.ip. */
  | 'maxConnectionsPerIp'
  /** The server is shutting down. */
  | 'shutdown';

export const CLOSE_REASONS: readonly CloseReason[] = [
  'clientDisconnect', 'idle', 'frameTooLarge', 'negativeSize', 'invalidHeader', 'unknownApiKey',
  'unsupportedVersion', 'invalidRequest', 'handlerClose', 'handlerError', 'maxConnections',
  'maxConnectionsPerIp', 'shutdown',
];

export interface NetworkCounters {
  /** Connections currently open (accepted and not yet closed). */
  connectionsOpen: number;
  /** Connections accepted and kept (refused ones are not counted here). */
  connectionsAccepted: number;
  /** Connections closed, by reason; refusals at accept included. */
  connectionsClosed: Record<CloseReason, number>;
  /** Frames taken off sockets and handed towards a handler. */
  requestsReceived: number;
  /** Responses written (noResponse and close are not). */
  responsesSent: number;
  /** Requests taken off sockets whose response has not been written yet, across the server. */
  requestsInFlight: number;
  /** Highest requestsInFlight seen. */
  requestsInFlightPeak: number;
  /** Highest number of requests in flight on any one connection. */
  connectionRequestsInFlightPeak: number;
  /** Highest number of unparsed bytes any one connection held (partial frame plus read-ahead). */
  connectionBufferedBytesPeak: number;
  bytesIn: number;
  bytesOut: number;
}

function zeroReasons(): Record<CloseReason, number> {
  const r = {} as Record<CloseReason, number>;
  for (const reason of CLOSE_REASONS) r[reason] = 0;
  return r;
}

export class NetworkMetrics {
  readonly counters: NetworkCounters = {
    connectionsOpen: 0,
    connectionsAccepted: 0,
    connectionsClosed: zeroReasons(),
    requestsReceived: 0,
    responsesSent: 0,
    requestsInFlight: 0,
    requestsInFlightPeak: 0,
    connectionRequestsInFlightPeak: 0,
    connectionBufferedBytesPeak: 0,
    bytesIn: 0,
    bytesOut: 0,
  };

  requestStarted(connectionInFlight: number): void {
    const c = this.counters;
    c.requestsReceived++;
    c.requestsInFlight++;
    if (c.requestsInFlight > c.requestsInFlightPeak) c.requestsInFlightPeak = c.requestsInFlight;
    if (connectionInFlight > c.connectionRequestsInFlightPeak) c.connectionRequestsInFlightPeak = connectionInFlight;
  }

  requestsFinished(count: number): void {
    this.counters.requestsInFlight -= count;
  }

  bytesReceived(size: number, connectionBufferedBytes: number): void {
    const c = this.counters;
    c.bytesIn += size;
    if (connectionBufferedBytes > c.connectionBufferedBytesPeak) c.connectionBufferedBytesPeak = connectionBufferedBytes;
  }

  responseSent(size: number): void {
    this.counters.responsesSent++;
    this.counters.bytesOut += size;
  }

  connectionOpened(): void {
    this.counters.connectionsAccepted++;
    this.counters.connectionsOpen++;
  }

  connectionClosed(reason: CloseReason, wasOpen: boolean): void {
    this.counters.connectionsClosed[reason]++;
    if (wasOpen) this.counters.connectionsOpen--;
  }

  snapshot(): NetworkCounters {
    return { ...this.counters, connectionsClosed: { ...this.counters.connectionsClosed } };
  }
}
