/** The broker's network layer: the socket server and the contract with request handlers. */
export { SocketServer, type BoundListener, type SocketServerOptions } from './socket-server.js';
export {
  type ListenerConfig,
  type SocketServerConfig,
  type ResolvedSocketServerConfig,
  SOCKET_SERVER_DEFAULTS,
  resolveSocketServerConfig,
} from './config.js';
export {
  type ConnectionInfo,
  type NetworkRequest,
  type Response,
  type RequestHandler,
  NO_RESPONSE,
  CLOSE_CONNECTION,
  respond,
  isResponse,
} from './request-handler.js';
export { type CloseReason, type NetworkCounters, CLOSE_REASONS } from './metrics.js';
export { type NetworkLogger, stderrLogger } from './logger.js';
export { FrameReader, FrameSizeError, type FrameSizeProblem } from './frame-reader.js';
