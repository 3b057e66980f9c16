/**
 * The contract between the network layer and the API handlers.
 *
 * The network layer reads a frame, decodes its header and checks the API key and version against
 * `RequestHandler.supportedVersions`, as Kafka's SocketServer does before a request reaches
 * KafkaApis. What passes is handed to `handle`; the body is still raw bytes (`frame` from
 * `bodyOffset`), so each handler decodes only what it needs.
 *
 * What the network layer has already done, so handlers need not:
 * - a frame whose header does not decode, an API key nobody serves, or a version outside
 *   `supportedVersions` closes the connection (Kafka throws InvalidRequestException or
 *   UnsupportedVersionException in the processor, which closes the channel);
 * - except ApiVersions, which is passed on at *any* version: Kafka answers a version it does not
 *   know with an ApiVersions v0 response carrying UNSUPPORTED_VERSION (35) and, since KIP-511,
 *   its own ApiVersions range, so the client can retry at a version both sides know. The
 *   ApiVersions handler must do that (`request.header.requestApiVersion` is outside its range,
 *   and the body must not be decoded);
 * - ApiVersions v3+ bodies are decoded here to learn the client's software name and version
 *   (KIP-511); they are on `request.connection` for this and later requests.
 *
 * What handlers owe the network layer:
 * - `handle` is called in request order, one request at a time per connection unless
 *   `maxInFlightRequestsPerConnection` is raised; whatever a handler must do in request order
 *   (appending a produce batch) it does before its first `await`;
 * - the promise resolves to exactly one `Response`; responses are written in request order
 *   whatever order the promises settle in;
 * - a body that does not decode is answered as Kafka would: throw the protocol's DecodeError (or
 *   resolve `{ kind: 'close' }`) and the connection is closed, as Kafka closes it when
 *   RequestContext.parseRequest fails;
 * - any other exception is a bug: it is logged and the connection is closed; the broker lives on.
 */
import type { ApiInfo, RequestHeader, VersionRange } from '../../protocol/index.js';
import { encodeResponseFrame } from '../../protocol/index.js';

/** What the network layer knows about a connection; a live view, updated as requests arrive. */
export interface ConnectionInfo {
  /** Kafka's form: "localHost:localPort-remoteHost:remotePort-index". Unique per server. */
  readonly id: string;
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly listenerName: string;
  /** From the most recent request header ("" when the header had none or null). */
  readonly clientId: string;
  /** From ApiVersions v3+ (KIP-511), when valid; "unknown" until then, as Kafka reports it. */
  readonly clientSoftwareName: string;
  readonly clientSoftwareVersion: string;
}

export interface NetworkRequest {
  readonly header: RequestHeader;
  readonly apiInfo: ApiInfo;
  /** The whole request without its size prefix: header, then body from `bodyOffset`. */
  readonly frame: Buffer;
  readonly bodyOffset: number;
  readonly connection: ConnectionInfo;
  /** Clock.monotonicMs() when the frame was taken off the socket. */
  readonly receivedAtMs: number;
  /**
   * Present when `frame` is a pooled copy: call it once nothing reads the frame or any view of
   * it any more (no pending write either), and the buffer is reused for a later frame. Calling
   * it is optional (an unreleased frame is left to the garbage collector); later calls do nothing.
   */
  readonly releaseFrame?: () => void;
}

/**
 * - `send`: a whole response frame, size prefix included (`encodeResponseFrame` makes one);
 *   the chunks go out in one vectored write.
 * - `noResponse`: nothing is written (Produce with acks=0); later responses still wait for it,
 *   so order holds.
 * - `close`: earlier responses are flushed, then the connection is closed.
 */
export type Response =
  | {
    readonly kind: 'send';
    readonly chunks: readonly Buffer[];
    /** Called once the chunks are written to the socket (not when the connection drops first): their buffers may be reused. */
    readonly afterSend?: () => void;
  }
  | { readonly kind: 'noResponse' }
  | { readonly kind: 'close' };

export interface RequestHandler {
  /**
   * The versions served for `apiKey` on `listenerName`, or undefined when the API is not served
   * there (Kafka's ApiVersionManager.isApiEnabled). Called for every request: keep it a lookup.
   */
  supportedVersions(apiKey: number, listenerName: string): VersionRange | undefined;
  handle(request: NetworkRequest): Promise<Response>;
}

export const NO_RESPONSE: Response = { kind: 'noResponse' };
export const CLOSE_CONNECTION: Response = { kind: 'close' };

/** A `send` response for `request` at the request's API version. */
export function respond(request: NetworkRequest, body: unknown): Response {
  const h = request.header;
  return { kind: 'send', chunks: encodeResponseFrame(h.requestApiKey, h.requestApiVersion, h.correlationId, body) };
}

export function isResponse(value: unknown): value is Response {
  if (typeof value !== 'object' || value === null) return false;
  const kind = (value as { kind?: unknown }).kind;
  if (kind === 'noResponse' || kind === 'close') return true;
  return kind === 'send' && Array.isArray((value as { chunks?: unknown }).chunks);
}
