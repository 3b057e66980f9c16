import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isPrepare } from './metadata.js';
import { type TransactionState, TRANSACTION_STATE_NAMES } from './shard-api.js';
import { TxnHarness } from './testing/harness.js';

const IDS = ['alpha', 'beta', 'gamma'];
const TOPICS = ['a', 'b'];
const DAY = 24 * 3_600_000;
/** Ids expire within the sequences' time span; passes coarse enough to keep days of simulated time cheap. */
const CONFIG = { transactionalIdExpirationMs: DAY, abortTimedOutTransactionCleanupIntervalMs: 60_000 };

type Op =
  | { readonly kind: 'init'; readonly id: number; readonly timeoutMs: number; readonly resume: 'none' | 'current' | 'stale' }
  | { readonly kind: 'add'; readonly id: number; readonly partitions: readonly [number, number][]; readonly stale: boolean; readonly version: number }
  | { readonly kind: 'addOffsets'; readonly id: number; readonly group: string }
  | { readonly kind: 'end'; readonly id: number; readonly commit: boolean; readonly stale: boolean }
  | { readonly kind: 'markers'; readonly count: number }
  | { readonly kind: 'advance'; readonly ms: number }
  | { readonly kind: 'noProducerIds'; readonly on: boolean };

const id = fc.integer({ min: 0, max: IDS.length - 1 });
const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('init' as const), id, timeoutMs: fc.constantFrom(1_000, 30_000, 900_000), resume: fc.constantFrom('none' as const, 'current' as const, 'stale' as const) }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('add' as const), id, stale: fc.boolean(), version: fc.constantFrom(1, 3),
      partitions: fc.array(fc.tuple(fc.integer({ min: 0, max: TOPICS.length - 1 }), fc.integer({ min: 0, max: 2 })), { minLength: 1, maxLength: 3 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('addOffsets' as const), id, group: fc.constantFrom('g1', 'group-2') }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('end' as const), id, commit: fc.boolean(), stale: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('markers' as const), count: fc.integer({ min: 0, max: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.constantFrom(0, 1_000, 10_000, 60_000, 3_600_000) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('noProducerIds' as const), on: fc.boolean() }) },
);

/** The id's producer id and epoch as a client holding them would send (stale: the epoch before). */
function producerOf(h: TxnHarness, transactionalId: string, stale: boolean): { producerId: bigint; producerEpoch: number } {
  const d = h.describe(transactionalId);
  if (d.errorCode !== 0) return { producerId: 4242n, producerEpoch: 0 };
  return { producerId: d.producerId, producerEpoch: stale ? d.producerEpoch - 1 : d.producerEpoch };
}

function apply(h: TxnHarness, op: Op): void {
  switch (op.kind) {
    case 'init': {
      const transactionalId = IDS[op.id]!;
      if (op.resume === 'none') h.init(transactionalId, { timeoutMs: op.timeoutMs });
      else h.init(transactionalId, { timeoutMs: op.timeoutMs, ...producerOf(h, transactionalId, op.resume === 'stale') });
      return;
    }
    case 'add': {
      const { producerId, producerEpoch } = producerOf(h, IDS[op.id]!, op.stale);
      const partitions: Record<string, number[]> = {};
      for (const [t, p] of op.partitions) (partitions[TOPICS[t]!] ??= []).push(p);
      h.add(IDS[op.id]!, producerId, producerEpoch, partitions, op.version);
      return;
    }
    case 'addOffsets': {
      const { producerId, producerEpoch } = producerOf(h, IDS[op.id]!, false);
      h.addOffsets(IDS[op.id]!, producerId, producerEpoch, op.group);
      return;
    }
    case 'end': {
      const { producerId, producerEpoch } = producerOf(h, IDS[op.id]!, op.stale);
      h.end(IDS[op.id]!, producerId, producerEpoch, op.commit);
      return;
    }
    case 'markers':
      for (const job of h.markers.pending.splice(0, op.count)) {
        h.run(h.shard.completeTransaction(job.transactionalId, job.producerId, job.producerEpoch));
      }
      return;
    case 'advance':
      h.advance(op.ms);
      return;
    case 'noProducerIds':
      h.producerIds.available = !op.on;
      return;
  }
}

function snapshot(h: TxnHarness): unknown {
  return {
    described: h.shard.describeTransactions(IDS),
    listed: h.shard.listTransactions({ stateFilters: [], producerIdFilters: [], durationFilterMs: -1n }),
  };
}

const PREPARE_NAMES = new Set(Object.entries(TRANSACTION_STATE_NAMES)
  .filter(([state]) => isPrepare(Number(state) as TransactionState)).map(([, name]) => name));

test('after any sequence of operations, replaying the records rebuilds the same transactions', () => {
  fc.assert(fc.property(fc.array(opArbitrary, { minLength: 5, maxLength: 40 }), (ops) => {
    const h = new TxnHarness({ config: CONFIG });
    for (const op of ops) apply(h, op);
    const replayed = h.replayed();
    assert.deepEqual(snapshot(replayed), snapshot(h));

    // Every transaction caught completing has its markers asked for again at load, and only those.
    const preparing = h.shard.describeTransactions(IDS).filter((d) => PREPARE_NAMES.has(d.transactionState));
    assert.deepEqual(
      replayed.markers.sent.map((j) => [j.transactionalId, j.producerId, j.producerEpoch]).sort(),
      preparing.map((d) => [d.transactionalId, d.producerId, d.producerEpoch]).sort(),
    );
    // And the live shard has them pending: nothing is left completing without its markers.
    for (const d of preparing) {
      assert.ok(h.markers.pending.some((j) => j.transactionalId === d.transactionalId && j.producerEpoch === d.producerEpoch));
    }

    // Timeouts, start and update timestamps survive too: both time out and expire alike.
    h.advance(3 * DAY);
    replayed.advance(3 * DAY);
    assert.deepEqual(snapshot(replayed), snapshot(h));
  }), { numRuns: 300, seed: 0x7a5 });
});
