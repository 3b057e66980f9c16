/**
 * Protocol codec throughput: Produce requests and Fetch responses decoded from and encoded to
 * frames, against copying the same number of bytes (Buffer.copy into a preallocated buffer)
 * measured interleaved in the same run.
 */
import { type ProtocolCase, fetchCase, produceCase } from '../protocol-cases.js';
import { blackhole, interleaved, planFor } from '../measure.js';
import type { BenchOptions, BenchRow } from '../types.js';

export const name = 'protocol';

export const notes = [
  'records stay opaque: decode returns views and encode references record buffers (>= 4 KiB) without copying,',
  'so MB/s counts record bytes that are never touched and can exceed memcpy; msg/s is the per-message cost.',
];

function kib(size: number): string {
  return size >= 2 ** 20 ? `${(size / 2 ** 20).toFixed(2)} MiB` : `${(size / 1024).toFixed(1)} KiB`;
}

function rows(c: ProtocolCase, op: 'decode' | 'encode', opts: BenchOptions): BenchRow[] {
  const size = c.frame.length;
  const src = Buffer.alloc(size, 0x5a);
  const dst = Buffer.allocUnsafe(size);
  const memcpy = (): void => {
    blackhole.value = src.copy(dst);
  };
  const subject = (): void => {
    blackhole.value = c[op]();
  };
  const rates = interleaved(subject, memcpy, planFor(opts));
  const mb = (callsPerSecond: number): number => (callsPerSecond * size) / 1e6;
  return [
    { name: `${c.name} ${op}`, unit: 'MB/s', samples: rates.subject.map(mb), baseline: { name: `memcpy ${kib(size)}`, samples: rates.baseline.map(mb) } },
    { name: `${c.name} ${op}`, unit: 'msg/s', samples: rates.subject, baseline: { name: `memcpy ${kib(size)}`, samples: rates.baseline } },
  ];
}

export async function run(opts: BenchOptions): Promise<BenchRow[]> {
  const cases = [produceCase(9, 16 * 1024), produceCase(3, 16 * 1024), fetchCase(12, 2 ** 20), fetchCase(4, 2 ** 20)];
  const out: BenchRow[] = [];
  for (const c of cases) {
    // A sanity check that the frames are what they claim before timing them.
    c.decode();
    for (const op of ['decode', 'encode'] as const) {
      out.push(...rows(c, op, opts));
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  return out;
}
