/**
 * A minimal Kafka protocol client for tests that need to see exactly what was acknowledged:
 * one connection, pipelined requests matched by correlation id, built on the generated codecs.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import {
  ApiKey, CreateTopicsRequest, type CreateTopicsResponse, ErrorCode, type ProduceResponse, decodeResponseFrame, encodeRequestFrame,
} from '../../src/protocol/index.js';

export class RawClient {
  private nextCorrelationId = 1;
  private buffered = Buffer.alloc(0);
  private readonly pending = new Map<number, { apiKey: number; apiVersion: number; resolve: (b: unknown) => void; reject: (e: Error) => void }>();
  private closedError: Error | null = null;

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (e) => this.fail(e));
    socket.on('close', () => this.fail(new Error('connection closed')));
  }

  static connect(host: string, port: number, timeoutMs = 5000): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, host);
      const timer = setTimeout(() => { socket.destroy(); reject(new Error('connect timed out')); }, timeoutMs);
      socket.once('connect', () => { clearTimeout(timer); resolve(new RawClient(socket)); });
      socket.once('error', (e) => { clearTimeout(timer); reject(e); });
    });
  }

  request<T>(apiKey: number, apiVersion: number, body: unknown): Promise<T> {
    if (this.closedError) return Promise.reject(this.closedError);
    const correlationId = this.nextCorrelationId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(correlationId, { apiKey, apiVersion, resolve: resolve as (b: unknown) => void, reject });
      this.socket.write(Buffer.concat(encodeRequestFrame({ apiKey, apiVersion, correlationId, clientId: 'samsa-test' }, body)));
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.buffered = Buffer.concat([this.buffered, chunk]);
    while (this.buffered.length >= 4) {
      const size = this.buffered.readInt32BE(0);
      if (this.buffered.length < 4 + size) return;
      const frame = this.buffered.subarray(4, 4 + size);
      this.buffered = this.buffered.subarray(4 + size);
      const correlationId = frame.readInt32BE(0);
      const waiter = this.pending.get(correlationId);
      if (!waiter) continue;
      this.pending.delete(correlationId);
      waiter.resolve(decodeResponseFrame(waiter.apiKey, waiter.apiVersion, frame).body);
    }
  }

  private fail(e: Error): void {
    this.closedError ??= e;
    for (const w of this.pending.values()) w.reject(e);
    this.pending.clear();
  }
}

/** CreateTopics v7 for one topic; fails the test unless the broker created it. */
export async function createTopic(client: RawClient, name: string, numPartitions = 1, configs: Record<string, string> = {}): Promise<void> {
  const r = await client.request<CreateTopicsResponse>(ApiKey.CreateTopics, 7, {
    ...CreateTopicsRequest.defaults(), timeoutMs: 10_000,
    topics: [{ name, numPartitions, replicationFactor: 1, assignments: [], configs: Object.entries(configs).map(([k, value]) => ({ name: k, value })) }],
  });
  assert.equal(r.topics.length, 1);
  assert.equal(r.topics[0]!.errorCode, ErrorCode.NONE, `create ${name}: ${r.topics[0]!.errorMessage ?? ''}`);
}

/** A Produce v9 request body carrying `records` (a batch or message set) to one partition. */
export function produceRequest(topic: string, partition: number, records: Buffer, acks = 1): unknown {
  return { transactionalId: null, acks, timeoutMs: 10_000, topicData: [{ name: topic, partitionData: [{ index: partition, records }] }] };
}

/** Produces `records` to one partition with Produce v9; returns that partition's response. */
export async function producePartition(
  client: RawClient, topic: string, partition: number, records: Buffer, acks = 1,
): Promise<ProduceResponse['responses'][number]['partitionResponses'][number]> {
  const r = await client.request<ProduceResponse>(ApiKey.Produce, 9, produceRequest(topic, partition, records, acks));
  assert.equal(r.responses.length, 1);
  assert.equal(r.responses[0]!.partitionResponses.length, 1);
  return r.responses[0]!.partitionResponses[0]!;
}
