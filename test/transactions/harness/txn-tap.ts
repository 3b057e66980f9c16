/**
 * A relay between the group suites' WireTap and the broker that records what the exactly-once
 * suites need to quote and check: the transaction APIs (InitProducerId, AddPartitionsToTxn,
 * AddOffsetsToTxn, EndTxn, TxnOffsetCommit, FindCoordinator, DescribeProducers,
 * DescribeTransactions, ListTransactions) decoded in full, Produce with the producer fields of
 * every batch header (never the records), and Fetch with per partition its isolation level,
 * high watermark, last stable offset, aborted transactions and the headers of the batches it
 * returned. The WireTap in front already points clients at itself, so this relay forwards bytes
 * unchanged, except that it can withhold the answers of one API (`withhold`): the broker did the
 * work, the client never hears of it, and after the broker is killed the client must send the
 * same request again. Test infrastructure, not the broker.
 */
import { type AddressInfo, type Server, type Socket, connect, createServer } from 'node:net';
import { performance } from 'node:perf_hooks';
import {
  ApiKey, type FetchRequest, type FetchResponse, type ProduceRequest, Reader, apiInfo, decodeRequestFrameHeader, decodeResponseFrame,
  readRecordBatchHeader, splitRecordBatches,
} from '../../../src/protocol/index.js';

const DECODED_APIS: ReadonlySet<number> = new Set([
  ApiKey.InitProducerId, ApiKey.AddPartitionsToTxn, ApiKey.AddOffsetsToTxn, ApiKey.EndTxn, ApiKey.TxnOffsetCommit,
  ApiKey.FindCoordinator, ApiKey.DescribeProducers, ApiKey.DescribeTransactions, ApiKey.ListTransactions,
]);
const SUMMARIZED_APIS: ReadonlySet<number> = new Set([ApiKey.Produce, ApiKey.Fetch]);
const MAX_FRAME = 128 * 1024 * 1024;
const MAX_EXCHANGES = 300_000;

/** The producer fields of one record batch header (offsets as numbers: test topics stay small). */
export interface BatchSummary {
  baseOffset: number;
  lastOffset: number;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  count: number;
  transactional: boolean;
  control: boolean;
}

/** A Produce request as recorded: batch headers per partition. */
export interface ProduceSummary {
  transactionalId: string | null;
  acks: number;
  partitions: { topic: string; partition: number; batches: BatchSummary[] }[];
}

/** A Fetch request as recorded. */
export interface FetchRequestSummary {
  isolationLevel: number;
  partitions: { topic: string; partition: number; fetchOffset: number }[];
}

/** A Fetch response as recorded: no records, their batch headers. */
export interface FetchResponseSummary {
  errorCode: number;
  partitions: {
    topic: string;
    partition: number;
    errorCode: number;
    highWatermark: number;
    lastStableOffset: number;
    abortedTransactions: { producerId: number; firstOffset: number }[] | null;
    batches: BatchSummary[];
  }[];
}

/** One request and the broker's answer. */
export interface TxnExchange {
  seq: number;
  connection: number;
  clientId: string;
  apiKey: number;
  apiName: string;
  apiVersion: number;
  /** Decoded body; ProduceSummary / FetchRequestSummary for Produce and Fetch. */
  request: unknown;
  /** Undefined while unanswered (or when the connection closed first). */
  response?: unknown;
  /** ms since the relay started. */
  requestAt: number;
  responseAt?: number;
  /** The answer was recorded but not passed on to the client (see `withhold`). */
  withheld?: boolean;
}

interface Pending {
  apiKey: number;
  apiVersion: number;
  exchange: TxnExchange;
}

function batchSummaries(records: Buffer | null): BatchSummary[] {
  if (!records || records.length === 0) return [];
  return splitRecordBatches(records).batches.map((b) => {
    const h = readRecordBatchHeader(b);
    return {
      baseOffset: Number(h.baseOffset),
      lastOffset: Number(h.baseOffset) + h.lastOffsetDelta,
      producerId: Number(h.producerId),
      producerEpoch: h.producerEpoch,
      baseSequence: h.baseSequence,
      count: h.recordsCount,
      transactional: h.isTransactional,
      control: h.isControl,
    };
  });
}

function summarizeProduce(r: ProduceRequest): ProduceSummary {
  return {
    transactionalId: r.transactionalId,
    acks: r.acks,
    partitions: r.topicData.flatMap((t) => t.partitionData.map((p) => ({ topic: t.name, partition: p.index, batches: batchSummaries(p.records) }))),
  };
}

/** Topic ids (Fetch v13+) are printed as their uuid; the suites' clients fetch by name. */
function topicLabel(name: string, id: string): string {
  return name || id;
}

function summarizeFetchRequest(r: FetchRequest): FetchRequestSummary {
  return {
    isolationLevel: r.isolationLevel,
    partitions: r.topics.flatMap((t) => t.partitions.map((p) => ({ topic: topicLabel(t.topic, t.topicId), partition: p.partition, fetchOffset: Number(p.fetchOffset) }))),
  };
}

function summarizeFetchResponse(r: FetchResponse): FetchResponseSummary {
  return {
    errorCode: r.errorCode,
    partitions: r.responses.flatMap((t) => t.partitions.map((p) => ({
      topic: topicLabel(t.topic, t.topicId),
      partition: p.partitionIndex,
      errorCode: p.errorCode,
      highWatermark: Number(p.highWatermark),
      lastStableOffset: Number(p.lastStableOffset),
      abortedTransactions: p.abortedTransactions === null ? null : p.abortedTransactions.map((a) => ({ producerId: Number(a.producerId), firstOffset: Number(a.firstOffset) })),
      batches: batchSummaries(p.records),
    }))),
  };
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

export class TxnTap {
  readonly exchanges: TxnExchange[] = [];
  /** Frames the relay could not decode (forwarded anyway); a suite expects none. */
  readonly errors: string[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly t0 = performance.now();
  private seq = 0;
  private connections = 0;
  private readonly withheld = new Set<number>();

  private constructor(private readonly server: Server, private upstreamPort: number) {}

  static async start(upstreamPort: number): Promise<TxnTap> {
    const server = createServer();
    const tap = new TxnTap(server, upstreamPort);
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

  now(): number {
    return Math.round(performance.now() - this.t0);
  }

  /** New connections go to `port` (a restarted broker); open ones are cut and nothing is withheld any more. */
  retarget(port: number): void {
    this.upstreamPort = port;
    this.withheld.clear();
    for (const s of this.sockets) s.destroy();
  }

  /** From now until `retarget`, answers to `apiKey` are recorded but not passed on. */
  withhold(apiKey: number): void {
    this.withheld.add(apiKey);
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  of(apiKey: number): TxnExchange[] {
    return this.exchanges.filter((x) => x.apiKey === apiKey);
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

  private onConnection(client: Socket): void {
    const id = ++this.connections;
    const upstream = connect(this.upstreamPort, '127.0.0.1');
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
        const p = this.onRequest(id, frame);
        if (p) pending.set(frame.readInt32BE(8), p);
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
        if (p) this.onResponse(p, frame);
        if (p && this.withheld.has(p.apiKey)) p.exchange.withheld = true;
        else client.write(frame);
      }
    });
  }

  private onRequest(connection: number, frame: Buffer): Pending | null {
    const body = frame.subarray(4);
    const apiKey = body.readInt16BE(0);
    const apiVersion = body.readInt16BE(2);
    if (!DECODED_APIS.has(apiKey) && !SUMMARIZED_APIS.has(apiKey)) return null;
    try {
      const { header, info, bodyOffset } = decodeRequestFrameHeader(body);
      const decoded = info!.request.decode(new Reader(body, bodyOffset), apiVersion);
      const request = apiKey === ApiKey.Produce ? summarizeProduce(decoded as ProduceRequest)
        : apiKey === ApiKey.Fetch ? summarizeFetchRequest(decoded as FetchRequest) : decoded;
      const exchange: TxnExchange = { seq: this.seq++, connection, clientId: header.clientId ?? '', apiKey, apiName: info!.name, apiVersion, request, requestAt: this.now() };
      if (this.exchanges.length < MAX_EXCHANGES) this.exchanges.push(exchange);
      return { apiKey, apiVersion, exchange };
    } catch (e) {
      this.errors.push(`request ${apiInfo(apiKey)?.name ?? apiKey} v${apiVersion}: ${(e as Error).message}`);
      return null;
    }
  }

  private onResponse(p: Pending, frame: Buffer): void {
    try {
      const body = decodeResponseFrame(p.apiKey, p.apiVersion, frame.subarray(4)).body;
      p.exchange.response = p.apiKey === ApiKey.Fetch ? summarizeFetchResponse(body as FetchResponse) : body;
      p.exchange.responseAt = this.now();
    } catch (e) {
      this.errors.push(`response ${apiInfo(p.apiKey)?.name ?? p.apiKey} v${p.apiVersion}: ${(e as Error).message}`);
    }
  }
}
