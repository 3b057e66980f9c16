/**
 * A small Kafka-protocol server for interop tests: one in-process TCP listener on 127.0.0.1 with
 * an ephemeral port that answers real clients (kcat, kafkajs, @platformatic/kafka) with the generated codecs only and
 * records every request frame with the response frame it got. Test infrastructure, not the broker.
 */
import { type AddressInfo, type Server, type Socket, createServer } from 'node:net';
import {
  ApiKey,
  ErrorCode,
  Reader,
  apiInfo,
  decodeRequestFrameHeader,
  encodeResponseFrame,
  isValidVersion,
} from '../../src/protocol/index.js';
import { HANDLERS, type HandlerContext, NO_RESPONSE, apiVersions } from './capture-handlers.js';
import { GroupCoordinator } from './capture-group.js';
import { MemoryLog } from './capture-log.js';

/** One request and the response sent for it; frames are without their int32 size prefix. */
export interface Exchange {
  seq: number;
  connectionId: number;
  /** What the test driver said it was doing when the request arrived. */
  scenario: string;
  clientId: string | null;
  apiKey: number;
  apiVersion: number;
  /** The version the response was encoded at (0 for an unsupported ApiVersions request). */
  responseVersion: number;
  request: Buffer;
  /** Null when no response was sent (acks=0, or the connection was closed). */
  response: Buffer | null;
}

export interface CaptureServerOptions {
  /** Partitions of every topic. */
  partitions?: number;
  maxWaitCapMs?: number;
  clusterId?: string;
  /**
   * Highest version to advertise per API key, where lower than the codecs' own; a client that
   * picks the highest version both sides know then uses an older one. A request above its cap is
   * an error, as a client must not send it.
   */
  versionCaps?: ReadonlyMap<number, number>;
}

const MAX_FRAME_SIZE = 64 * 1024 * 1024;
/** Requests queued per connection before the server stops reading from it. */
const MAX_QUEUED = 32;

export class CaptureServer {
  readonly exchanges: Exchange[] = [];
  /** Anything the server could not answer; a test expects this to stay empty. */
  readonly errors: string[] = [];
  /** Label stored with each exchange; set it before driving a client. */
  scenario = '';
  readonly log: MemoryLog;
  private readonly sockets = new Set<Socket>();
  private connectionCount = 0;
  private producerIds = 1000n;
  private ctx!: HandlerContext;

  private constructor(private readonly server: Server, private readonly options: CaptureServerOptions) {
    this.log = new MemoryLog(options.partitions ?? 1);
  }

  static async start(options: CaptureServerOptions = {}): Promise<CaptureServer> {
    const server = createServer();
    const capture = new CaptureServer(server, options);
    server.on('connection', (socket) => capture.onConnection(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    capture.ctx = {
      log: capture.log,
      groups: new GroupCoordinator(),
      host: '127.0.0.1',
      port: capture.port,
      clusterId: options.clusterId ?? 'samsa-capture-cluster',
      maxWaitCapMs: options.maxWaitCapMs ?? 100,
      nextProducerId: () => capture.producerIds++,
      versionCaps: options.versionCaps ?? new Map(),
    };
    return capture;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get bootstrap(): string {
    return `127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    this.log.wakeAll();
    await closed;
  }

  private onConnection(socket: Socket): void {
    const connectionId = ++this.connectionCount;
    this.sockets.add(socket);
    socket.setNoDelay(true);
    let buffered: Buffer = Buffer.alloc(0);
    let chain = Promise.resolve();
    let queued = 0;
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('data', (chunk: Buffer) => {
      buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
      while (buffered.length >= 4) {
        const size = buffered.readInt32BE(0);
        if (size < 0 || size > MAX_FRAME_SIZE) {
          this.errors.push(`connection ${connectionId}: frame size ${size}`);
          socket.destroy();
          return;
        }
        if (buffered.length < 4 + size) break;
        const frame = Buffer.from(buffered.subarray(4, 4 + size));
        buffered = buffered.subarray(4 + size);
        const scenario = this.scenario;
        if (++queued >= MAX_QUEUED) socket.pause();
        chain = chain.then(async () => {
          await this.serve(socket, connectionId, scenario, frame);
          if (--queued < MAX_QUEUED && !socket.destroyed) socket.resume();
        });
      }
    });
  }

  /** Answers one request; responses on a connection go out in request order, as Kafka's do. */
  private async serve(socket: Socket, connectionId: number, scenario: string, frame: Buffer): Promise<void> {
    if (socket.destroyed) return;
    let exchange: Exchange | undefined;
    try {
      const { header, info, bodyOffset } = decodeRequestFrameHeader(frame);
      const { requestApiKey: apiKey, requestApiVersion: apiVersion } = header;
      exchange = {
        seq: this.exchanges.length,
        connectionId,
        scenario,
        clientId: header.clientId,
        apiKey,
        apiVersion,
        responseVersion: apiVersion,
        request: frame,
        response: null,
      };
      this.exchanges.push(exchange);
      let body: unknown;
      if (apiKey === ApiKey.ApiVersions && info && !isValidVersion(info.request, apiVersion)) {
        // Kafka answers an ApiVersions request it cannot read with v0 and UNSUPPORTED_VERSION,
        // so the client can retry at a version both sides know.
        exchange.responseVersion = 0;
        body = apiVersions(ErrorCode.UNSUPPORTED_VERSION);
      } else {
        const handler = HANDLERS.get(apiKey);
        if (!info || !handler || !isValidVersion(info.request, apiVersion)) {
          throw new Error(`no answer for ${apiInfo(apiKey)?.name ?? `API key ${apiKey}`} v${apiVersion}`);
        }
        const cap = this.ctx.versionCaps.get(apiKey);
        if (cap !== undefined && apiVersion > cap && apiKey !== ApiKey.ApiVersions) {
          throw new Error(`${info.name} v${apiVersion} is above the advertised v${cap}`);
        }
        const request: unknown = info.request.decode(new Reader(frame, bodyOffset), apiVersion);
        const caller = { clientId: header.clientId ?? '', host: socket.remoteAddress ?? '' };
        body = await handler(this.ctx, request as never, apiVersion, caller);
        if (body === NO_RESPONSE) return;
      }
      const out = Buffer.concat(encodeResponseFrame(apiKey, exchange.responseVersion, header.correlationId, body));
      if (socket.destroyed) return;
      exchange.response = out.subarray(4);
      socket.write(out);
    } catch (e) {
      const where = exchange ? `${apiInfo(exchange.apiKey)?.name ?? exchange.apiKey} v${exchange.apiVersion}` : 'header';
      this.errors.push(`connection ${connectionId} (${scenario}) ${where}: ${(e as Error).message}`);
      socket.destroy();
    }
  }
}
