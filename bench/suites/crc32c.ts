import zlib from 'node:zlib';
import { crc32cNative, crc32cPure } from '../../src/protocol/crc/crc32c.js';
import { encodeRecordBatchSync } from '../../src/protocol/records/batch-encode.js';
import { validateRecordBatch } from '../../src/protocol/records/batch-header.js';

/**
 * CRC-32C throughput (native @node-rs/crc32 and the pure TypeScript fallback) on 16 KiB and
 * 1 MiB buffers against Node's own zlib.crc32 (IEEE, native) on the same buffers in the same
 * run; and record batch header validation (size, magic, CRC) of a 16 KiB batch against copying
 * the same batch with Buffer.copy. Cases are interleaved within each repetition so drift in
 * machine load hits all of them alike.
 */

export type BenchRow = { name: string; unit: string; samples: number[]; baseline: { name: string; samples: number[] } };

export const name = 'crc32c';

const KiB = 1024;
const MiB = 1024 * KiB;

type Work = () => number;

/** Runs `work` for about `targetMs`; returns operations per second. */
function opsPerSecond(work: Work, targetMs: number): number {
  let sink = 0;
  let ops = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(Math.round(targetMs * 1e6));
  let now = start;
  while (now < deadline) {
    for (let i = 0; i < 8; i++) sink ^= work();
    ops += 8;
    now = process.hrtime.bigint();
  }
  if (sink === 0.5) console.log(sink); // keeps the results alive
  return ops / (Number(now - start) / 1e9);
}

function randomBuffer(size: number): Buffer {
  const buf = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; i++) buf[i] = (Math.imul(i, 2654435761) >>> 11) & 0xff;
  return buf;
}

interface Case {
  row: string;
  unit: string;
  baseline: string;
  /** Converts ops/s to the row's unit. */
  scale: number;
  work: Work;
  baselineWork: Work;
}

function crcCases(): Case[] {
  const cases: Case[] = [];
  for (const [label, size] of [['16KiB', 16 * KiB], ['1MiB', MiB]] as const) {
    const buf = randomBuffer(size);
    const ieee: Work = () => zlib.crc32(buf);
    const scale = size / 1e6;
    if (crc32cNative) {
      const native = crc32cNative;
      cases.push({ row: `crc32c native ${label}`, unit: 'MB/s', baseline: `zlib.crc32 (IEEE) ${label}`, scale, work: () => native(buf), baselineWork: ieee });
    }
    cases.push({ row: `crc32c pure ${label}`, unit: 'MB/s', baseline: `zlib.crc32 (IEEE) ${label}`, scale, work: () => crc32cPure(buf), baselineWork: ieee });
  }
  return cases;
}

function headerCase(): Case {
  const value = randomBuffer(16 * KiB - 200);
  const batch = encodeRecordBatchSync({ records: [{ timestamp: 1_700_000_000_000n, key: Buffer.from('key'), value }] });
  const target = Buffer.allocUnsafe(batch.length);
  return {
    row: `record batch header validation ${Math.round(batch.length / KiB)}KiB`,
    unit: 'batches/s',
    baseline: `Buffer.copy of the same batch`,
    scale: 1,
    work: () => validateRecordBatch(batch),
    baselineWork: () => batch.copy(target),
  };
}

export async function run(opts: { quick: boolean }): Promise<BenchRow[]> {
  const repetitions = opts.quick ? 5 : 10;
  const targetMs = opts.quick ? 40 : 200;
  const cases = [...crcCases(), headerCase()];
  const rows: BenchRow[] = cases.map((c) => ({ name: c.row, unit: c.unit, samples: [], baseline: { name: c.baseline, samples: [] } }));
  for (const c of cases) {
    opsPerSecond(c.work, 10); // warm up both sides
    opsPerSecond(c.baselineWork, 10);
  }
  for (let rep = 0; rep < repetitions; rep++) {
    cases.forEach((c, i) => {
      const row = rows[i]!;
      // Alternate which side goes first, so neither always runs on a cooler cache.
      if (rep % 2 === 0) {
        row.samples.push(opsPerSecond(c.work, targetMs) * c.scale);
        row.baseline.samples.push(opsPerSecond(c.baselineWork, targetMs) * c.scale);
      } else {
        row.baseline.samples.push(opsPerSecond(c.baselineWork, targetMs) * c.scale);
        row.samples.push(opsPerSecond(c.work, targetMs) * c.scale);
      }
    });
    await new Promise((resolve) => setImmediate(resolve));
  }
  return rows;
}
