/**
 * Decoder fuzzing: mutated request frames, response frames and persisted-record encodings must
 * decode or throw DecodeError; anything else (RangeError, TypeError, a runaway allocation) is a
 * bug. SAMSA_TEST_FUZZ_ITERATIONS scales the run (default about 300,000 frames), SAMSA_TEST_FUZZ_SEED
 * changes the frames.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DecodeError } from '../common/errors.js';
import { isValidVersion } from './codec-support.js';
import { decodeRequestFrameHeader, decodeResponseFrame } from './frame.js';
import { API_INFOS } from './generated/api-keys.js';
import { Reader } from './reader.js';
import { FuzzRun, type FuzzSeed, type FuzzTarget, formatFailures } from './testing/fuzz-harness.js';
import { bareSeeds, nonApiCodecs, requestSeeds, responseSeeds } from './testing/fuzz-seeds.js';
import { asyncRecordsTarget, recordSeeds, unvalidatedRecordsTarget, validatedRecordsTarget } from './testing/records-fuzz.js';
import { Prng } from './testing/prng.js';

const ITERATIONS = Number(process.env.SAMSA_TEST_FUZZ_ITERATIONS ?? 300_000);
const SEED = Number(process.env.SAMSA_TEST_FUZZ_SEED ?? 20240611);
/** Valid values sampled per codec and version, besides the defaults. */
const SAMPLES = 2;
/** Every-byte truncation for frames up to this size; longer ones get random truncations only. */
const TRUNCATE_ALL_MAX_SIZE = 160;
/** Part of ITERATIONS spent on record batches and message sets. */
const RECORDS_SHARE = 0.1;

const heapBefore = process.memoryUsage().heapUsed;

const allowDecodeError = (error: unknown): boolean => error instanceof DecodeError;

/** What a broker does with a request frame: the header, then the body if the API and version are known. */
const requestTarget: FuzzTarget = {
  decode(frame) {
    const { header, info, bodyOffset } = decodeRequestFrameHeader(frame);
    if (!info || !isValidVersion(info.request, header.requestApiVersion)) return undefined;
    return info.request.decode(new Reader(frame, bodyOffset), header.requestApiVersion);
  },
  allowed: allowDecodeError,
};

function responseTarget(apiKey: number): FuzzTarget {
  return { decode: (frame, seed) => decodeResponseFrame(apiKey, seed.version, frame), allowed: allowDecodeError };
}

const API_SEED_COUNT = API_INFOS.reduce((n, a) => n + (a.request.validVersions.max - a.request.validVersions.min + 1) * 2, 0) * (SAMPLES + 1);
const OTHER_CODECS = nonApiCodecs();
const OTHER_SEED_COUNT = OTHER_CODECS.reduce((n, c) => n + (c.validVersions.max - c.validVersions.min + 1), 0) * (SAMPLES + 1);
/** Random mutations per seed, so that the whole file decodes about ITERATIONS frames. */
const PER_SEED = Math.max(1, Math.round((ITERATIONS * 0.75) / (API_SEED_COUNT + OTHER_SEED_COUNT)));

const totals = { frames: 0, rejected: 0 };

function check(run: FuzzRun): void {
  totals.frames += run.count;
  totals.rejected += run.rejected;
  assert.equal(run.failureCount, 0, `${formatFailures(run)}\n(reproduce with SAMSA_TEST_FUZZ_SEED=${SEED} SAMSA_TEST_FUZZ_ITERATIONS=${ITERATIONS})`);
}

function fuzz(seeds: FuzzSeed[], target: FuzzTarget, rng: Prng): FuzzRun {
  const run = new FuzzRun(target);
  for (const [i, seed] of seeds.entries()) {
    // Every-byte truncation of the first (default-valued) and one sampled seed per version.
    if (i % (SAMPLES + 1) <= 1 && seed.frame.length <= TRUNCATE_ALL_MAX_SIZE) run.truncations(seed);
    run.mutations(seed, PER_SEED, rng);
  }
  return run;
}

for (const info of API_INFOS) {
  test(`${info.name}: mutated request and response frames decode or throw DecodeError`, (t) => {
    const rng = new Prng(SEED ^ (info.apiKey * 0x9e3779b1));
    const requests = fuzz(requestSeeds(info, SAMPLES, SEED), requestTarget, rng);
    const responses = fuzz(responseSeeds(info, SAMPLES, SEED), responseTarget(info.apiKey), rng);
    t.diagnostic(`${requests.count} request frames, ${responses.count} response frames`);
    check(requests);
    check(responses);
  });
}

test('headers and persisted records: mutated encodings decode or throw DecodeError', (t) => {
  const rng = new Prng(SEED ^ 0x7ec0);
  const seeds = OTHER_CODECS.flatMap((c) => bareSeeds(c, SAMPLES, SEED));
  const byName = new Map(OTHER_CODECS.map((c) => [c.name, c]));
  const target: FuzzTarget = {
    decode: (frame, seed) => byName.get(seed.label)!.decode(new Reader(frame), seed.version),
    allowed: allowDecodeError,
  };
  const run = fuzz(seeds, target, rng);
  t.diagnostic(`${run.count} frames of ${OTHER_CODECS.length} schemas`);
  check(run);
});

test('record batches and legacy message sets: mutated entries decode or throw a SamsaError', (t) => {
  const seeds = recordSeeds();
  const perSeed = Math.round((ITERATIONS * RECORDS_SHARE) / 2 / seeds.length);
  for (const [i, target] of [validatedRecordsTarget, unvalidatedRecordsTarget].entries()) {
    const rng = new Prng(SEED ^ (0x4ec0 + i));
    const run = new FuzzRun(target);
    for (const seed of seeds) {
      run.truncations(seed);
      run.mutations(seed, perSeed, rng);
    }
    t.diagnostic(`${i === 0 ? 'validated' : 'unvalidated'}: ${run.count} frames of ${seeds.length} seeds, ${run.rejected} rejected`);
    check(run);
  }
});

test('record batches and legacy message sets, async decoders: mutated entries decode or throw a SamsaError', async (t) => {
  const seeds = recordSeeds().filter((s) => !s.label.endsWith(' none'));
  const rng = new Prng(SEED ^ 0xa5c);
  const run = new FuzzRun(asyncRecordsTarget);
  for (const seed of seeds) await run.mutationsAsync(seed, Math.round((ITERATIONS * 0.01) / seeds.length), rng);
  t.diagnostic(`${run.count} frames of ${seeds.length} compressed seeds, ${run.rejected} rejected`);
  check(run);
});

test('memory stays flat after fuzzing', (t) => {
  if (totals.frames === 0) {
    t.skip('no fuzz test ran before this one');
    return;
  }
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) gc();
  const grownMiB = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
  t.diagnostic(`${totals.frames} frames decoded in total, ${totals.rejected} rejected with an allowed error; heap grew ${grownMiB.toFixed(1)} MiB${gc ? ' (after gc)' : ' (no gc available)'}`);
  assert.ok(totals.frames >= ITERATIONS * 0.5, `only ${totals.frames} frames were decoded`);
  assert.ok(grownMiB < (gc ? 50 : 200), `heap grew by ${grownMiB.toFixed(1)} MiB`);
});

test('the harness names the codec, version, mutation and frame of a failure', () => {
  const run = new FuzzRun({
    decode(frame) {
      if (frame.length === 3) throw new TypeError('boom');
      return new Reader(frame).int32();
    },
    allowed: allowDecodeError,
  });
  run.truncations({ label: 'ExampleRequest', version: 7, frame: Buffer.from('0a0b0c0d', 'hex'), hints: { taggedSections: [] } });
  assert.equal(run.failureCount, 1);
  assert.equal(run.rejected, 3);
  assert.match(formatFailures(run), /ExampleRequest v7 \[truncate-at-3\] threw TypeError: boom\n.*\n {2}frame \(3 bytes\): 0a0b0c$/);
});
