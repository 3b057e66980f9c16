/**
 * Checks over what the TxnTap recorded, the broker's side of a run: error codes only where the
 * request version knows them, read_committed Fetch answers that stop at the last stable offset,
 * and the summaries a failure report quotes (error counts, InitProducerId answers, the answers
 * that fenced a producer).
 */
import { ApiKey, ErrorCode, errorInfo } from '../../../src/protocol/index.js';
import type { FetchRequestSummary, FetchResponseSummary, ProduceSummary, TxnExchange } from './txn-tap.js';

/** The first version of each API that may answer PRODUCER_FENCED (KIP-588); older ones get INVALID_PRODUCER_EPOCH. */
export const PRODUCER_FENCED_FROM: ReadonlyMap<number, number> = new Map([
  [ApiKey.InitProducerId, 4], [ApiKey.AddPartitionsToTxn, 2], [ApiKey.AddOffsetsToTxn, 2], [ApiKey.EndTxn, 2],
]);

/** The first version of each API that may answer TRANSACTION_ABORTABLE (KIP-890). */
export const TRANSACTION_ABORTABLE_FROM: ReadonlyMap<number, number> = new Map([
  [ApiKey.InitProducerId, 5], [ApiKey.AddPartitionsToTxn, 5], [ApiKey.AddOffsetsToTxn, 4], [ApiKey.EndTxn, 4],
  [ApiKey.TxnOffsetCommit, 4], [ApiKey.Produce, 11], [ApiKey.FindCoordinator, 5],
]);

/** Every error code in a decoded response (fields named errorCode / partitionErrorCode at any depth), NONE left out. */
export function errorCodesOf(response: unknown): number[] {
  const codes: number[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) {
      for (const x of v) walk(x);
    } else if (v && typeof v === 'object' && !Buffer.isBuffer(v)) {
      for (const [k, x] of Object.entries(v)) {
        if ((k === 'errorCode' || k === 'partitionErrorCode') && typeof x === 'number') {
          if (x !== ErrorCode.NONE) codes.push(x);
        } else walk(x);
      }
    }
  };
  walk(response);
  return codes;
}

export function errorName(code: number): string {
  return errorInfo(code).name;
}

/** "<client> <Api> v<n> → <ERRORS>": one exchange as a failure message quotes it. */
export function describeExchange(x: TxnExchange): string {
  const codes = x.response === undefined ? ['(no answer)'] : errorCodesOf(x.response).map(errorName);
  return `${x.clientId} ${x.apiName} v${x.apiVersion} at ${x.requestAt} ms → ${codes.length ? [...new Set(codes)].join(',') : 'NONE'}`;
}

/** "<Api> <ERROR>" → how many answers carried it. */
export function errorCounts(exchanges: readonly TxnExchange[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const x of exchanges) {
    for (const code of new Set(errorCodesOf(x.response))) {
      const k = `${x.apiName} ${errorName(code)}`;
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
  }
  return counts;
}

/** PRODUCER_FENCED or TRANSACTION_ABORTABLE sent to a request version that predates it. */
export function versionedErrorProblems(exchanges: readonly TxnExchange[]): string[] {
  const problems: string[] = [];
  for (const x of exchanges) {
    const codes = new Set(errorCodesOf(x.response));
    const fencedFrom = PRODUCER_FENCED_FROM.get(x.apiKey);
    if (codes.has(ErrorCode.PRODUCER_FENCED) && (fencedFrom === undefined || x.apiVersion < fencedFrom)) {
      problems.push(`${describeExchange(x)}: PRODUCER_FENCED ${fencedFrom === undefined ? 'is not an answer of this API' : `needs v${fencedFrom}+`} (INVALID_PRODUCER_EPOCH is)`);
    }
    const abortableFrom = TRANSACTION_ABORTABLE_FROM.get(x.apiKey);
    if (codes.has(ErrorCode.TRANSACTION_ABORTABLE) && (abortableFrom === undefined || x.apiVersion < abortableFrom)) {
      problems.push(`${describeExchange(x)}: TRANSACTION_ABORTABLE needs v${abortableFrom ?? '?'}+`);
    }
  }
  return problems;
}

/**
 * read_committed Fetch answers (isolation level 1): a last stable offset at or below the high
 * watermark, and no batch at or past it (Kafka reads a read_committed fetch only up to the LSO).
 * Returns the problems and how many partition answers were checked.
 */
export function readCommittedFetchProblems(exchanges: readonly TxnExchange[]): { problems: string[]; checked: number } {
  const problems: string[] = [];
  let checked = 0;
  for (const x of exchanges) {
    if (x.apiKey !== ApiKey.Fetch || x.response === undefined) continue;
    if ((x.request as FetchRequestSummary).isolationLevel !== 1) continue;
    for (const p of (x.response as FetchResponseSummary).partitions) {
      if (p.errorCode !== ErrorCode.NONE) continue;
      checked++;
      const where = `${x.clientId} Fetch v${x.apiVersion} at ${x.requestAt} ms ${p.topic}-${p.partition}`;
      if (x.apiVersion >= 4 && (p.lastStableOffset < 0 || p.lastStableOffset > p.highWatermark)) {
        problems.push(`${where}: lastStableOffset ${p.lastStableOffset} with highWatermark ${p.highWatermark}`);
      }
      const beyond = p.batches.filter((b) => x.apiVersion >= 4 && b.baseOffset >= p.lastStableOffset);
      if (beyond.length) problems.push(`${where}: batches at ${beyond.map((b) => b.baseOffset).join(',')} returned at or past lastStableOffset ${p.lastStableOffset}`);
    }
  }
  return { problems, checked };
}

/** The InitProducerId answers for one transactional id, in request order. */
export function initProducerIdAnswers(exchanges: readonly TxnExchange[], transactionalId: string): { clientId: string; version: number; errorCode: number; producerId: number; producerEpoch: number }[] {
  return exchanges
    .filter((x) => x.apiKey === ApiKey.InitProducerId && (x.request as { transactionalId: string | null }).transactionalId === transactionalId && x.response !== undefined)
    .map((x) => {
      const r = x.response as { errorCode: number; producerId: bigint; producerEpoch: number };
      return { clientId: x.clientId, version: x.apiVersion, errorCode: r.errorCode, producerId: Number(r.producerId), producerEpoch: r.producerEpoch };
    });
}

/** The producer id and epoch a request carried (Produce: its first batch), null for other APIs. */
export function producerOf(x: TxnExchange): { producerId: number; producerEpoch: number } | null {
  if (x.apiKey === ApiKey.Produce) {
    const b = (x.request as ProduceSummary).partitions.flatMap((p) => p.batches)[0];
    return b ? { producerId: b.producerId, producerEpoch: b.producerEpoch } : null;
  }
  if (x.apiKey === ApiKey.AddPartitionsToTxn) {
    const r = x.request as { v3AndBelowProducerId: bigint; v3AndBelowProducerEpoch: number };
    return { producerId: Number(r.v3AndBelowProducerId), producerEpoch: r.v3AndBelowProducerEpoch };
  }
  if (x.apiKey === ApiKey.EndTxn || x.apiKey === ApiKey.AddOffsetsToTxn || x.apiKey === ApiKey.TxnOffsetCommit) {
    const r = x.request as { producerId: bigint; producerEpoch: number };
    return { producerId: Number(r.producerId), producerEpoch: r.producerEpoch };
  }
  return null;
}

/** Answers that fenced requests of (producerId, producerEpoch): PRODUCER_FENCED or INVALID_PRODUCER_EPOCH. */
export function fencedAnswers(exchanges: readonly TxnExchange[], producerId: number, producerEpoch: number): TxnExchange[] {
  return exchanges.filter((x) => {
    const who = producerOf(x);
    if (!who || who.producerId !== producerId || who.producerEpoch !== producerEpoch) return false;
    const codes = errorCodesOf(x.response);
    return codes.includes(ErrorCode.PRODUCER_FENCED) || codes.includes(ErrorCode.INVALID_PRODUCER_EPOCH);
  });
}

/** Produce answers with one of `codes`, quoted. */
export function produceAnswersWith(exchanges: readonly TxnExchange[], codes: readonly number[]): string[] {
  return exchanges
    .filter((x) => x.apiKey === ApiKey.Produce && errorCodesOf(x.response).some((c) => codes.includes(c)))
    .map((x) => {
      const req = x.request as ProduceSummary;
      const batches = req.partitions.map((p) => `${p.topic}-${p.partition} pid ${p.batches[0]?.producerId} epoch ${p.batches[0]?.producerEpoch} seq ${p.batches[0]?.baseSequence}+${p.batches[0]?.count}`);
      return `${describeExchange(x)} [${batches.join('; ')}]`;
    });
}

interface ProduceAnswerShape {
  responses: { name: string; partitionResponses: { index: number; errorCode: number; baseOffset: bigint }[] }[];
}

function produceAnswer(x: TxnExchange, topic: string, partition: number): { errorCode: number; baseOffset: number } | null {
  const r = x.response as ProduceAnswerShape | undefined;
  const a = r?.responses.find((t) => t.name === topic)?.partitionResponses.find((p) => p.index === partition);
  return a ? { errorCode: a.errorCode, baseOffset: Number(a.baseOffset) } : null;
}

/**
 * Produce answers the TxnTap withheld (the broker appended the batch; the client never heard):
 * the client must send the same batch again (same producer id, epoch and sequence) and the broker
 * must recognise the duplicate, answering NONE with the offset it first gave. Returns how many
 * withheld appends were followed and the problems.
 */
export function resentBatchProblems(exchanges: readonly TxnExchange[]): { withheld: number; problems: string[] } {
  const produces = exchanges.filter((x) => x.apiKey === ApiKey.Produce && x.response !== undefined);
  const problems: string[] = [];
  let withheld = 0;
  for (const x of produces.filter((p) => p.withheld)) {
    for (const part of (x.request as ProduceSummary).partitions) {
      const first = part.batches[0];
      const original = produceAnswer(x, part.topic, part.partition);
      if (!first || first.producerId < 0 || original?.errorCode !== ErrorCode.NONE) continue;
      withheld++;
      const what = `${part.topic}-${part.partition} pid ${first.producerId} epoch ${first.producerEpoch} seq ${first.baseSequence} (appended at ${original.baseOffset}, answer withheld)`;
      const again = produces.find((y) => y.seq > x.seq && (y.request as ProduceSummary).partitions.some((q) => q.topic === part.topic && q.partition === part.partition
        && q.batches[0]?.producerId === first.producerId && q.batches[0]?.producerEpoch === first.producerEpoch && q.batches[0]?.baseSequence === first.baseSequence));
      if (!again) {
        problems.push(`${what}: never sent again`);
        continue;
      }
      const answer = produceAnswer(again, part.topic, part.partition);
      if (answer?.errorCode !== ErrorCode.NONE || answer.baseOffset !== original.baseOffset) {
        problems.push(`${what}: sent again, answered ${answer ? `${errorName(answer.errorCode)} at ${answer.baseOffset}` : 'nothing'} (${describeExchange(again)})`);
      }
    }
  }
  return { withheld, problems };
}
