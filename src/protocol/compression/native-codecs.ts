import { createRequire } from 'node:module';

/**
 * The native compression libraries, each loaded on its first use. A broker stores compressed
 * batches as they come and rarely opens one, and each library maps several megabytes of
 * machine code into the process, so a process that never sees snappy or lz4 never loads them.
 */

export interface SnappyBinding {
  compressSync(data: Buffer): Buffer;
  uncompressSync(data: Buffer, options: { asBuffer: true }): Buffer | string;
}

export interface Lz4Binding {
  compressSync(data: Buffer): Buffer;
  uncompressSync(data: Buffer, dict?: Buffer): Buffer;
}

const require = createRequire(import.meta.url);
let snappyBinding: SnappyBinding | null = null;
let lz4Binding: Lz4Binding | null = null;

export function snappy(): SnappyBinding {
  snappyBinding ??= require('snappy') as SnappyBinding;
  return snappyBinding;
}

export function lz4(): Lz4Binding {
  lz4Binding ??= require('lz4-napi') as Lz4Binding;
  return lz4Binding;
}
