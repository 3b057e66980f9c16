/**
 * A TCP proxy between real clients and the broker that records the group protocol as the broker
 * answered it: JoinGroup, SyncGroup, Heartbeat, LeaveGroup, OffsetCommit, OffsetFetch,
 * FindCoordinator, ConsumerGroupHeartbeat, ListGroups, DescribeGroups, ConsumerGroupDescribe,
 * decoded with the generated codecs. Everything is forwarded unchanged except the broker
 * addresses in Metadata, FindCoordinator and DescribeCluster responses, which point at the tap so
 * the clients keep talking through it.
 *
 * This is what the per-generation checks read (librdkafka and KafkaJS do not tell their
 * generation), and what a failure report quotes: which client, which request, what the broker
 * answered. Test infrastructure, not the broker.
 */
import { type AddressInfo, type Server, type Socket, connect, createServer } from 'node:net';
import { performance } from 'node:perf_hooks';
import { ApiKey, Reader, apiInfo, decodeRequestFrameHeader, decodeResponseFrame, encodeResponseFrame } from '../../../src/protocol/index.js';

export const RECORDED_APIS: ReadonlySet<number> = new Set([
  ApiKey.OffsetCommit, ApiKey.OffsetFetch, ApiKey.FindCoordinator, ApiKey.JoinGroup, ApiKey.Heartbeat,
  ApiKey.LeaveGroup, ApiKey.SyncGroup, ApiKey.DescribeGroups, ApiKey.ListGroups, ApiKey.ConsumerGroupHeartbeat,
  ApiKey.ConsumerGroupDescribe,
]);
const REWRITTEN_APIS: ReadonlySet<number> = new Set([ApiKey.Metadata, ApiKey.FindCoordinator, ApiKey.DescribeCluster]);

/** One request and the broker's answer, decoded. */
export interface Exchange {
  seq: number;
  connection: number;
  clientId: string;
  apiKey: number;
  apiName: string;
  apiVersion: number;
  request: unknown;
  /** Undefined while unanswered (or when the connection closed first). */
  response?: unknown;
  /** ms since the tap started, when the whole frame passed through the tap. */
  requestAt: number;
  responseAt?: number;
  /** Position in the tap's one order of requests, responses and deaths (ms can tie). */
  requestOrder: number;
  responseOrder?: number;
}

/** A client the test killed: from `order` on, its members hold nothing. */
export interface Death {
  clientId: string;
  at: number;
  order: number;
}

const MAX_FRAME = 128 * 1024 * 1024;
const MAX_EXCHANGES = 500_000;

interface Pending {
  apiKey: number;
  apiVersion: number;
  exchange?: Exchange;
}

/** Splits size-prefixed frames out of a byte stream. */
class Framer {
  private buf: Buffer = Buffer.alloc(0);
  push(chunk: Buffer): Buffer[] {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const frames: Buffer[] = [];
    while (this.buf.length >= 4) {
      const size = this.buf.readInt32BE(0);
      if (size < 0 || size > MAX_FRAME) throw new Error(`frame size ${size}`);
      if (this.buf.length < 4 + size) break;
      frames.push(this.buf.subarray(0, 4 + size));
      this.buf = this.buf.subarray(4 + size);
    }
    return frames;
  }
}

export class WireTap {
  readonly exchanges: Exchange[] = [];
  /** Frames the tap could not decode (forwarded anyway); a test expects none. */
  readonly errors: string[] = [];
  readonly deaths: Death[] = [];
  private order = 0;
  private readonly sockets = new Set<Socket>();
  private readonly t0 = performance.now();
  private seq = 0;
  private connections = 0;

  private constructor(private readonly server: Server, private upstreamPort: number, private readonly upstreamHost: string) {}

  static async start(upstreamPort: number, upstreamHost = '127.0.0.1'): Promise<WireTap> {
    const server = createServer();
    const tap = new WireTap(server, upstreamPort, upstreamHost);
    server.on('connection', (s) => tap.onConnection(s));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return tap;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get bootstrap(): string {
    return `127.0.0.1:${this.port}`;
  }

  now(): number {
    return Math.round(performance.now() - this.t0);
  }

  /** New connections go to `port` (a restarted broker); open ones are cut so clients reconnect. */
  retarget(port: number): void {
    this.upstreamPort = port;
    this.dropConnections();
  }

  dropConnections(): void {
    for (const s of this.sockets) s.destroy();
  }

  async stop(): Promise<void> {
    this.dropConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Records that the test killed the client with this client.id (call just before the kill). */
  recordDeath(clientId: string): void {
    this.deaths.push({ clientId, at: this.now(), order: this.order++ });
  }

  /** The exchanges as JSON lines (bigints as strings, bytes as hex), for reading a failure. */
  toJsonLines(): string {
    const replacer = (_k: string, v: unknown): unknown => {
      if (typeof v === 'bigint') return v.toString();
      if (v && typeof v === 'object' && (v as { type?: string }).type === 'Buffer' && Array.isArray((v as { data?: unknown }).data)) {
        return `0x${Buffer.from((v as { data: number[] }).data).toString('hex')}`;
      }
      return v;
    };
    return this.exchanges.map((x) => JSON.stringify(x, replacer)).join('\n') + '\n';
  }

  /** Recorded exchanges of one API, in request order. */
  of(apiKey: number): Exchange[] {
    return this.exchanges.filter((x) => x.apiKey === apiKey);
  }

  private onConnection(client: Socket): void {
    const id = ++this.connections;
    const upstream = connect(this.upstreamPort, this.upstreamHost);
    this.sockets.add(client);
    this.sockets.add(upstream);
    const pending = new Map<number, Pending>();
    const fromClient = new Framer();
    const fromBroker = new Framer();
    const close = (): void => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
    client.on('data', (chunk: Buffer) => {
      let frames: Buffer[];
      try {
        frames = fromClient.push(chunk);
      } catch (e) {
        this.errors.push(`connection ${id}: ${(e as Error).message}`);
        return close();
      }
      for (const frame of frames) {
        pending.set(frame.readInt32BE(8), this.onRequest(id, frame));
        upstream.write(frame);
      }
    });
    upstream.on('data', (chunk: Buffer) => {
      let frames: Buffer[];
      try {
        frames = fromBroker.push(chunk);
      } catch (e) {
        this.errors.push(`connection ${id} (broker side): ${(e as Error).message}`);
        return close();
      }
      for (const frame of frames) {
        const correlationId = frame.readInt32BE(4);
        const p = pending.get(correlationId);
        pending.delete(correlationId);
        client.write(p ? this.onResponse(p, correlationId, frame) : frame);
      }
    });
  }

  private onRequest(connection: number, frame: Buffer): Pending {
    const body = frame.subarray(4);
    const apiKey = body.readInt16BE(0);
    const apiVersion = body.readInt16BE(2);
    if (!RECORDED_APIS.has(apiKey)) return { apiKey, apiVersion };
    try {
      const { header, info, bodyOffset } = decodeRequestFrameHeader(body);
      const request = info!.request.decode(new Reader(body, bodyOffset), apiVersion);
      const exchange: Exchange = {
        seq: this.seq++, connection, clientId: header.clientId ?? '', apiKey, apiName: info!.name, apiVersion, request, requestAt: this.now(), requestOrder: this.order++,
      };
      if (this.exchanges.length < MAX_EXCHANGES) this.exchanges.push(exchange);
      return { apiKey, apiVersion, exchange };
    } catch (e) {
      this.errors.push(`request api ${apiKey} v${apiVersion}: ${(e as Error).message}`);
      return { apiKey, apiVersion };
    }
  }

  private onResponse(p: Pending, correlationId: number, frame: Buffer): Buffer {
    const recorded = p.exchange !== undefined;
    if (!recorded && !REWRITTEN_APIS.has(p.apiKey)) return frame;
    let body: unknown;
    try {
      body = decodeResponseFrame(p.apiKey, p.apiVersion, frame.subarray(4)).body;
    } catch (e) {
      this.errors.push(`response ${apiInfo(p.apiKey)?.name ?? p.apiKey} v${p.apiVersion}: ${(e as Error).message}`);
      return frame;
    }
    if (p.exchange) {
      p.exchange.response = body;
      p.exchange.responseAt = this.now();
      p.exchange.responseOrder = this.order++;
    }
    if (!REWRITTEN_APIS.has(p.apiKey)) return frame;
    return Buffer.concat(encodeResponseFrame(p.apiKey, p.apiVersion, correlationId, this.rewrite(p.apiKey, body)));
  }

  /** The broker's own address replaced by the tap's, wherever a response names a broker. */
  private rewrite(apiKey: number, body: unknown): unknown {
    const point = <T extends { host: string; port: number }>(b: T): T => ({ ...b, host: '127.0.0.1', port: this.port });
    if (apiKey === ApiKey.Metadata) {
      const m = body as { brokers: { host: string; port: number }[] };
      return { ...m, brokers: m.brokers.map(point) };
    }
    if (apiKey === ApiKey.DescribeCluster) {
      const m = body as { brokers: { host: string; port: number }[] };
      return { ...m, brokers: m.brokers.map(point) };
    }
    const f = body as { host: string; port: number; coordinators: { host: string; port: number }[] };
    return { ...f, ...(f.host ? point(f) : {}), coordinators: f.coordinators.map(point) };
  }
}
