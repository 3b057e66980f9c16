/**
 * One client connection: reads frames, admits them, calls the handler, writes responses in
 * request order, and applies back-pressure both ways.
 *
 * Reading stops (socket.pause) whenever the connection may not start another request: it has
 * `maxInFlightRequestsPerConnection` requests out, the server-wide permit pool
 * (queued.max.requests) is empty, the socket's write buffer is full, or it is closing. So what a
 * connection holds is bounded by its in-flight requests, one partial frame and one read-ahead
 * chunk, however fast the client sends. With the default of one request in flight this is
 * Kafka's behaviour: the processor mutes a channel from request to response.
 *
 * A protocol violation found while reading (bad size, bad header, unknown key, unsupported
 * version) stops reading at once and closes the connection after the responses to earlier
 * requests have gone out, which is what Kafka's one-at-a-time processing amounts to.
 */
import type { Socket } from 'node:net';
import type { BufferRecycler } from '../../common/buffer-recycler.js';
import { admitRequest } from './admission.js';
import { invokeHandler } from './invoke-handler.js';
import { FrameReader, type TakenFrame } from './frame-reader.js';
import type { CloseReason } from './metrics.js';
import type { PermitWaiter } from './request-limiter.js';
import type { ConnectionInfo, NetworkRequest, Response } from './request-handler.js';
import type { ConnectionHost } from './connection-host.js';
import { type ResponsePlace, ResponseQueue } from './response-queue.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export class Connection implements PermitWaiter {
  readonly info: Mutable<ConnectionInfo>;
  readonly remoteIp: string;
  /** Clock.monotonicMs() of the last byte read or written. */
  lastActivityMs: number;
  /** When closing began; undefined while open. */
  closingSinceMs: number | undefined;
  private readonly socket: Socket;
  private readonly host: ConnectionHost;
  private readonly reader: FrameReader;
  /** Requests in order of arrival, each waiting for its handler or for earlier responses. */
  private readonly responses = new ResponseQueue();
  private paused = true;
  private writeBlocked = false;
  private flushScheduled = false;
  /** No more requests will be read: a protocol error or shutdown. */
  private readClosed = false;
  private draining = false;
  private closeReason: CloseReason | undefined;

  constructor(socket: Socket, id: string, remoteIp: string, listenerName: string, host: ConnectionHost) {
    this.socket = socket;
    this.host = host;
    this.remoteIp = remoteIp;
    this.reader = new FrameReader(host.config.socketRequestMaxBytes, (size) => host.frameBuffers.acquire(size));
    this.lastActivityMs = host.clock.monotonicMs();
    this.info = {
      id,
      remoteAddress: remoteIp,
      remotePort: socket.remotePort ?? 0,
      listenerName,
      clientId: '',
      clientSoftwareName: 'unknown',
      clientSoftwareVersion: 'unknown',
    };
    socket.setNoDelay(true);
    socket.setKeepAlive(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('drain', () => this.onDrain());
    socket.on('end', () => this.close('clientDisconnect', 'now'));
    socket.on('error', (err) => {
      host.logger.debug('connection socket error', { connection: id, error: err.message });
      this.close('clientDisconnect', 'now');
    });
    socket.on('close', () => this.onSocketClosed());
    this.updateReading();
  }

  /** Stop reading requests; close once the ones in flight are answered. */
  beginShutdown(): void {
    if (this.closeReason !== undefined) return;
    this.draining = true;
    this.readClosed = true;
    this.host.limiter.forget(this);
    if (this.responses.length === 0) this.close('shutdown', 'flush');
    else this.updateReading();
  }

  /** Cuts the connection without flushing (deadlines, forced shutdown). */
  destroy(reason: CloseReason): void {
    this.close(reason, 'now');
  }

  onPermitAvailable(): void {
    this.pump();
  }

  private onData(chunk: Buffer): void {
    if (this.readClosed || this.closeReason !== undefined) return;
    this.lastActivityMs = this.host.clock.monotonicMs();
    const error = this.reader.push(chunk);
    this.host.metrics.bytesReceived(chunk.length, this.reader.bufferedBytes);
    if (error !== undefined) {
      this.fail(error.problem, error.message);
      return;
    }
    this.pump();
  }

  private onDrain(): void {
    this.writeBlocked = false;
    this.lastActivityMs = this.host.clock.monotonicMs();
    this.pump();
  }

  /** Starts as many buffered requests as the limits allow, then sets the read state. */
  private pump(): void {
    const max = this.host.config.maxInFlightRequestsPerConnection;
    while (!this.readClosed && !this.writeBlocked && this.responses.length < max && this.reader.hasFrame()) {
      if (!this.host.limiter.tryAcquire(this)) break;
      this.dispatch(this.reader.nextFrame()!);
    }
    const error = this.reader.error;
    if (error !== undefined && !this.readClosed) this.fail(error.problem, error.message);
    else this.updateReading();
  }

  private dispatch({ frame, copy }: TakenFrame): void {
    const host = this.host;
    const receivedAtMs = host.clock.monotonicMs();
    const admission = admitRequest(frame, host.handler, this.info.listenerName);
    if (admission.kind === 'close') {
      if (copy) host.frameBuffers.release(copy);
      host.limiter.release();
      this.fail(admission.reason, admission.detail);
      return;
    }
    const { header } = admission;
    this.info.clientId = header.clientId ?? '';
    if (admission.clientSoftware !== undefined) {
      this.info.clientSoftwareName = admission.clientSoftware.name;
      this.info.clientSoftwareVersion = admission.clientSoftware.version;
    }
    const request: NetworkRequest = {
      header,
      apiInfo: admission.apiInfo,
      frame,
      bodyOffset: admission.bodyOffset,
      connection: this.info,
      receivedAtMs,
      ...(copy && host.frameBuffers.pools(copy.length) ? { releaseFrame: releaseOnce(host.frameBuffers, copy) } : {}),
    };
    const place = this.responses.reserve();
    host.metrics.requestStarted(this.responses.length);
    void invokeHandler(host.handler, request, host.logger).then((outcome) => this.settle(place, outcome.response, outcome.closeReason));
  }

  private settle(place: ResponsePlace, response: Response, closeReason: CloseReason): void {
    if (this.closeReason !== undefined) return;
    this.responses.settle(place, response, closeReason);
    this.scheduleFlush();
  }

  /**
   * Flushes once the promise callbacks running now are done: the answers of requests whose
   * appends finished in the same write settle one after another, and then leave in one write.
   */
  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    process.nextTick(() => {
      this.flushScheduled = false;
      if (this.closeReason === undefined) this.flush();
    });
  }

  /** A protocol violation: read nothing more; close after earlier responses are out. */
  private fail(reason: CloseReason, detail: string): void {
    if (this.readClosed) return;
    this.host.logger.info('closing connection: protocol violation', { connection: this.info.id, reason, detail });
    this.readClosed = true;
    this.host.limiter.forget(this);
    this.responses.closeAfterPending(reason);
    this.flush();
  }

  /** Writes the responses at the head of the queue that are ready, in order. */
  private flush(): void {
    const ready = this.responses.takeReady();
    if (ready.sends.length > 0) {
      this.socket.cork();
      for (const send of ready.sends) this.write(send.chunks, send.afterSend);
      this.socket.uncork();
    }
    // Closing: read nothing more, even if releasing permits below hands this connection one.
    if (ready.closeReason !== undefined) this.readClosed = true;
    if (ready.permitsReleased > 0) {
      this.host.metrics.requestsFinished(ready.permitsReleased);
      this.host.limiter.release(ready.permitsReleased);
    }
    if (ready.closeReason !== undefined) this.close(ready.closeReason, 'flush');
    else if (this.draining && this.responses.length === 0) this.close('shutdown', 'flush');
    else this.pump();
  }

  /** Queues one response's chunks (the caller corks, so they go out in one vectored write); a full write buffer stops work until 'drain'. */
  private write(chunks: readonly Buffer[], afterSend?: () => void): void {
    const socket = this.socket;
    let size = 0;
    let ok = true;
    socket.cork();
    for (let i = 0; i < chunks.length; i++) {
      const chunk = chunks[i]!;
      // The last chunk's callback runs once the whole corked write is done; an error means the
      // socket dropped it, and then the buffers are left to the garbage collector.
      ok = afterSend && i === chunks.length - 1 ? socket.write(chunk, (err) => { if (!err) afterSend(); }) : socket.write(chunk);
      size += chunk.length;
    }
    socket.uncork();
    this.host.metrics.responseSent(size);
    this.lastActivityMs = this.host.clock.monotonicMs();
    if (!ok) this.writeBlocked = true;
  }

  private updateReading(): void {
    const wantRead =
      this.closeReason === undefined &&
      !this.readClosed &&
      !this.writeBlocked &&
      this.responses.length < this.host.config.maxInFlightRequestsPerConnection &&
      !this.reader.hasFrame();
    if (wantRead && this.paused) {
      this.paused = false;
      this.socket.resume();
    } else if (!wantRead && !this.paused) {
      this.paused = true;
      this.socket.pause();
    }
  }

  private close(reason: CloseReason, mode: 'now' | 'flush'): void {
    if (this.closeReason !== undefined) {
      if (mode === 'now') this.socket.destroy();
      return;
    }
    this.closeReason = reason;
    this.closingSinceMs = this.host.clock.monotonicMs();
    this.readClosed = true;
    this.host.limiter.forget(this);
    const held = this.responses.clear();
    if (held > 0) {
      this.host.metrics.requestsFinished(held);
      this.host.limiter.release(held);
    }
    this.updateReading();
    if (mode === 'now') this.socket.destroy();
    else this.socket.end(() => this.socket.destroy());
  }

  private onSocketClosed(): void {
    if (this.closeReason === undefined) this.close('clientDisconnect', 'now');
    this.host.connectionClosed(this.info.id, this.closeReason ?? 'clientDisconnect');
  }
}

/** A frame buffer's release, good for one call. */
function releaseOnce(pool: BufferRecycler, buffer: Buffer): () => void {
  let released = false;
  return () => {
    if (released) return;
    released = true;
    pool.release(buffer);
  };
}
