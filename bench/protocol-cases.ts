/**
 * The messages the protocol suite times: Produce requests and Fetch responses with opaque
 * record bytes, encoded and decoded through the generated codecs and the frame functions.
 */
import { randomFillSync } from 'node:crypto';
import {
  ApiKey,
  type FetchResponse,
  ProduceRequest,
  type ProduceRequestPartitionProduceData,
  Reader,
  decodeRequestFrameHeader,
  decodeResponseFrame,
  defaultFetchResponse,
  defaultFetchResponseFetchableTopicResponse,
  defaultFetchResponsePartitionData,
  encodeRequestFrame,
  encodeResponseFrame,
} from '../src/protocol/index.js';

export interface ProtocolCase {
  name: string;
  /** The frame as it arrives, without its int32 size prefix. */
  frame: Buffer;
  decode(): unknown;
  /** Encodes to chunks for one vectored write, as the network layer sends them. */
  encode(): unknown;
}

const PARTITIONS = 6;

function records(size: number): Buffer {
  return randomFillSync(Buffer.allocUnsafe(size));
}

function join(chunks: Buffer[]): Buffer {
  return Buffer.concat(chunks).subarray(4);
}

export function produceCase(version: number, recordsSize: number): ProtocolCase {
  const partitionData: ProduceRequestPartitionProduceData[] = [];
  for (let i = 0; i < PARTITIONS; i++) partitionData.push({ index: i, records: records(recordsSize), _unknownTaggedFields: undefined });
  const body: ProduceRequest = {
    transactionalId: null,
    acks: -1,
    timeoutMs: 30_000,
    topicData: [{ name: 'bench-topic', partitionData, _unknownTaggedFields: undefined }],
    _unknownTaggedFields: undefined,
  };
  const header = { apiKey: ApiKey.Produce, apiVersion: version, correlationId: 42, clientId: 'bench-producer' };
  const frame = join(encodeRequestFrame(header, body));
  return {
    name: `Produce v${version} request (${PARTITIONS}×${recordsSize / 1024} KiB)`,
    frame,
    decode() {
      const { header: h, bodyOffset } = decodeRequestFrameHeader(frame);
      return ProduceRequest.decode(new Reader(frame, bodyOffset), h.requestApiVersion);
    },
    encode: () => encodeRequestFrame(header, body),
  };
}

export function fetchCase(version: number, recordsSize: number): ProtocolCase {
  const partitions = [];
  for (let i = 0; i < PARTITIONS; i++) {
    partitions.push({ ...defaultFetchResponsePartitionData(), partitionIndex: i, highWatermark: 1_000_000n, lastStableOffset: 1_000_000n, logStartOffset: 0n, records: records(recordsSize) });
  }
  const body: FetchResponse = {
    ...defaultFetchResponse(),
    sessionId: version >= 7 ? 1 : 0,
    responses: [{ ...defaultFetchResponseFetchableTopicResponse(), topic: 'bench-topic', partitions }],
  };
  const frame = join(encodeResponseFrame(ApiKey.Fetch, version, 42, body));
  return {
    name: `Fetch v${version} response (${PARTITIONS}×${recordsSize / 2 ** 20} MiB)`,
    frame,
    decode: () => decodeResponseFrame(ApiKey.Fetch, version, frame),
    encode: () => encodeResponseFrame(ApiKey.Fetch, version, 42, body),
  };
}
