/**
 * What a Connection needs from the server that owns it: settings, the handler, the shared
 * permit pool and frame buffers, counters, logging and time, and a callback for when its socket
 * has closed.
 */
import type { BufferRecycler } from '../../common/buffer-recycler.js';
import type { Clock } from '../../common/clock.js';
import type { ResolvedSocketServerConfig } from './config.js';
import type { NetworkLogger } from './logger.js';
import type { CloseReason, NetworkMetrics } from './metrics.js';
import type { RequestHandler } from './request-handler.js';
import type { RequestLimiter } from './request-limiter.js';

export interface ConnectionHost {
  readonly config: ResolvedSocketServerConfig;
  readonly handler: RequestHandler;
  readonly limiter: RequestLimiter;
  readonly metrics: NetworkMetrics;
  readonly logger: NetworkLogger;
  readonly clock: Clock;
  /** Buffers for frames that arrive in several socket reads, shared by the server's connections. */
  readonly frameBuffers: BufferRecycler;
  /** Called exactly once per connection, after its socket has closed. */
  connectionClosed(connectionId: string, reason: CloseReason): void;
}
