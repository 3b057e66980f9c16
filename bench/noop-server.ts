/**
 * The broker suite's baseline server: a minimal Kafka-protocol server that answers ApiVersions,
 * Metadata and Produce with the generated codecs and keeps nothing. Every topic asked for exists
 * with `--partitions` partitions (or N for a name ending in `-p<N>`) on one broker (itself); Produce succeeds with offsets that count
 * up per partition (from the record counts in the batch headers) and sends nothing for acks=0.
 *
 * Run as its own process, as the broker is: `node dist/bench/noop-server.js [--partitions N]`
 * listens on 127.0.0.1 with an ephemeral port and prints `ready on PLAINTEXT://127.0.0.1:PORT`.
 */
import { createHash } from 'node:crypto';
import { type AddressInfo, type Server, type Socket, createServer } from 'node:net';
import { pathToFileURL } from 'node:url';
import {
  API_INFOS,
  ApiKey,
  ErrorCode,
  type MetadataRequest,
  type MetadataResponse,
  type ProduceRequest,
  type ProduceResponse,
  Reader,
  type Uuid,
  decodeRequestFrameHeader,
  defaultApiVersionsResponse,
  defaultMetadataResponse,
  defaultMetadataResponsePartition,
  defaultMetadataResponseTopic,
  defaultProduceResponse,
  defaultProduceResponsePartitionProduceResponse,
  encodeResponseFrame,
  isValidVersion,
} from '../src/protocol/index.js';

const NODE_ID = 1;
const MAX_FRAME_SIZE = 128 * 1024 * 1024;
/** Produce up to v11, as the brief for the baseline says; the others at every codec version. */
const CAPS = new Map<number, number>([[ApiKey.Produce, 11]]);
const ADVERTISED = [ApiKey.Produce, ApiKey.Metadata, ApiKey.ApiVersions];

/** Splits a byte stream into frames (without their size prefix), copying only frames that span chunks. */
/** A topic named `…-p<N>` has N partitions; any other has the server's --partitions. */
export function partitionsOf(topic: string, otherwise: number): number {
  const m = /-p(\d+)$/.exec(topic);
  return m ? Number(m[1]) : otherwise;
}

export class FrameSplitter {
  private readonly head = Buffer.alloc(4);
  private headFill = 0;
  private frame: Buffer | null = null;
  private fill = 0;

  constructor(private readonly onFrame: (frame: Buffer) => void) {}

  push(chunk: Buffer): void {
    let off = 0;
    while (off < chunk.length) {
      if (this.frame === null) {
        let size: number;
        if (this.headFill === 0 && chunk.length - off >= 4) {
          size = chunk.readInt32BE(off);
          off += 4;
        } else {
          const n = Math.min(4 - this.headFill, chunk.length - off);
          chunk.copy(this.head, this.headFill, off, off + n);
          this.headFill += n;
          off += n;
          if (this.headFill < 4) return;
          this.headFill = 0;
          size = this.head.readInt32BE(0);
        }
        if (size < 0 || size > MAX_FRAME_SIZE) throw new Error(`frame size ${size}`);
        if (chunk.length - off >= size) {
          this.onFrame(chunk.subarray(off, off + size));
          off += size;
          continue;
        }
        this.frame = Buffer.allocUnsafe(size);
        this.fill = 0;
      }
      const n = Math.min(this.frame.length - this.fill, chunk.length - off);
      chunk.copy(this.frame, this.fill, off, off + n);
      this.fill += n;
      off += n;
      if (this.fill === this.frame.length) {
        const whole = this.frame;
        this.frame = null;
        this.onFrame(whole);
      }
    }
  }
}

/** Records in a records field: magic 2 batches count lastOffsetDelta + 1, older entries one each. */
export function countRecords(records: Buffer | null): number {
  if (records === null) return 0;
  let count = 0;
  let pos = 0;
  while (pos + 17 <= records.length) {
    const length = records.readInt32BE(pos + 8);
    if (length <= 0) break;
    const magic = records[pos + 16]!;
    count += magic >= 2 && pos + 27 <= records.length ? records.readInt32BE(pos + 23) + 1 : 1;
    pos += 12 + length;
  }
  return count;
}

function topicId(name: string): Uuid {
  return createHash('md5').update(name).digest().toString('base64url');
}

export class NoopServer {
  /** Next offset per "topic:partition". */
  private readonly offsets = new Map<string, bigint>();
  private readonly topics = new Set<string>();
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly server: Server, private readonly partitions: number) {}

  static async start(partitions: number): Promise<NoopServer> {
    const server = createServer();
    const noop = new NoopServer(server, partitions);
    server.on('connection', (socket) => noop.onConnection(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return noop;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    await closed;
  }

  private onConnection(socket: Socket): void {
    this.sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.sockets.delete(socket));
    const splitter = new FrameSplitter((frame) => this.serve(socket, frame));
    socket.on('data', (chunk: Buffer) => {
      try {
        splitter.push(chunk);
      } catch (e) {
        process.stderr.write(`noop-server: ${(e as Error).message}\n`);
        socket.destroy();
      }
    });
  }

  private serve(socket: Socket, frame: Buffer): void {
    const { header, info, bodyOffset } = decodeRequestFrameHeader(frame);
    const { requestApiKey: apiKey, requestApiVersion: version, correlationId } = header;
    if (apiKey === ApiKey.ApiVersions && info && !isValidVersion(info.request, version)) {
      const body = { ...defaultApiVersionsResponse(), errorCode: ErrorCode.UNSUPPORTED_VERSION, apiKeys: [] };
      this.send(socket, encodeResponseFrame(apiKey, 0, correlationId, body));
      return;
    }
    if (!info || !ADVERTISED.includes(apiKey as never) || !isValidVersion(info.request, version) || version > (CAPS.get(apiKey) ?? Infinity)) {
      throw new Error(`no answer for ${info?.name ?? `API key ${apiKey}`} v${version}`);
    }
    const request: unknown = info.request.decode(new Reader(frame, bodyOffset), version);
    let body: unknown;
    if (apiKey === ApiKey.ApiVersions) body = this.apiVersions();
    else if (apiKey === ApiKey.Metadata) body = this.metadata(request as MetadataRequest, version);
    else {
      body = this.produce(request as ProduceRequest);
      if (body === null) return;
    }
    this.send(socket, encodeResponseFrame(apiKey, version, correlationId, body));
  }

  private send(socket: Socket, chunks: Buffer[]): void {
    if (!socket.destroyed) socket.write(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
  }

  private apiVersions(): unknown {
    return {
      ...defaultApiVersionsResponse(),
      apiKeys: API_INFOS.filter((i) => ADVERTISED.includes(i.apiKey as never)).map((i) => ({
        apiKey: i.apiKey,
        minVersion: i.validVersions.min,
        maxVersion: Math.min(i.validVersions.max, CAPS.get(i.apiKey) ?? Infinity),
      })),
    };
  }

  private metadata(req: MetadataRequest, version: number): MetadataResponse {
    const all = req.topics === null || (version === 0 && req.topics.length === 0);
    const names = all ? [...this.topics] : (req.topics ?? []).flatMap((t) => (t.name !== null ? [t.name] : []));
    for (const n of names) this.topics.add(n);
    return {
      ...defaultMetadataResponse(),
      brokers: [{ nodeId: NODE_ID, host: '127.0.0.1', port: this.port, rack: null }],
      clusterId: 'samsa-bench-noop',
      controllerId: NODE_ID,
      topics: names.map((name) => ({
        ...defaultMetadataResponseTopic(),
        name,
        topicId: topicId(name),
        partitions: Array.from({ length: partitionsOf(name, this.partitions) }, (_, index) => ({
          ...defaultMetadataResponsePartition(),
          partitionIndex: index,
          leaderId: NODE_ID,
          leaderEpoch: 0,
          replicaNodes: [NODE_ID],
          isrNodes: [NODE_ID],
        })),
      })),
    };
  }

  /** Null for acks=0: Kafka sends no response. */
  private produce(req: ProduceRequest): ProduceResponse | null {
    const responses = req.topicData.map((td) => ({
      name: td.name,
      partitionResponses: td.partitionData.map((pd) => {
        const key = `${td.name}:${pd.index}`;
        const base = this.offsets.get(key) ?? 0n;
        this.offsets.set(key, base + BigInt(countRecords(pd.records)));
        return { ...defaultProduceResponsePartitionProduceResponse(), index: pd.index, baseOffset: base, logStartOffset: 0n };
      }),
    }));
    return req.acks === 0 ? null : { ...defaultProduceResponse(), responses };
  }
}

async function main(): Promise<void> {
  const i = process.argv.indexOf('--partitions');
  const partitions = i >= 0 ? Number(process.argv[i + 1]) : 1;
  if (!Number.isInteger(partitions) || partitions < 1) throw new Error('--partitions must be a positive integer');
  const server = await NoopServer.start(partitions);
  const stop = (): void => void server.stop().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  console.log(`ready on PLAINTEXT://127.0.0.1:${server.port}`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
