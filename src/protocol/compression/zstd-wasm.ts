import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { EncodeError } from '../../common/errors.js';
import { CorruptCompressedError, DecompressLimitError } from './errors.js';
import { scanZstdFrames } from './zstd-frame.js';
import { ZSTD_DEFAULT_LEVEL, checkZstdLevel } from './zstd-levels.js';

/**
 * zstd through the reference C library compiled to WebAssembly (`@bokuweb/zstd-wasm`, shipped
 * inside its npm package): the codec on Node versions whose node:zlib has no zstd (before
 * 22.15). Decompression is single-shot into a buffer of fixed capacity, the frames' exact
 * declared size or, when a frame does not declare it, min(bound from its blocks, caller's
 * bound); zstd reports dstSize_tooSmall rather than write past it.
 */

const NAME = 'zstd';
/** ZSTD_error_dstSize_tooSmall from zstd_errors.h; size_t errors arrive as -code in wasm32. */
const ZSTD_ERROR_DST_SIZE_TOO_SMALL = 70;

interface ZstdWasmModule {
  HEAPU8: Uint8Array;
  _malloc(size: number): number;
  _free(pointer: number): void;
  _ZSTD_compressBound(size: number): number;
  _ZSTD_compress(dst: number, dstCapacity: number, src: number, srcSize: number, level: number): number;
  _ZSTD_decompress(dst: number, dstCapacity: number, src: number, srcSize: number): number;
  _ZSTD_isError(code: number): number;
}

// The package exports only `init` (asynchronous) and convenience wrappers; the emscripten module
// beside its entry file gives the raw calls needed for a fixed-capacity decompress, and its
// `instantiateWasm` hook lets the module be compiled synchronously, on the first zstd call, so a
// process that never sees zstd never pays for it (about 9 MB resident).
const require = createRequire(import.meta.url);
let loaded: ZstdWasmModule | null = null;

/** The slice of the WebAssembly global used here (the project's libs carry no DOM types). */
interface WasmInstance {
  exports: unknown;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => unknown;
  Instance: new (module: unknown, imports: unknown) => WasmInstance;
}

interface EmscriptenModule extends ZstdWasmModule {
  instantiateWasm?: (imports: unknown, receive: (instance: WasmInstance) => void) => unknown;
  init(binary?: Uint8Array): unknown;
}

function zstdModule(): ZstdWasmModule {
  if (loaded) return loaded;
  const entry = require.resolve('@bokuweb/zstd-wasm');
  const { Module: m } = require(join(dirname(entry), 'module.js')) as { Module: EmscriptenModule };
  const binary = readFileSync(join(dirname(entry), 'zstd.wasm'));
  m.instantiateWasm = (imports, receive) => {
    const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
    const instance = new wasm.Instance(new wasm.Module(binary), imports);
    receive(instance);
    return instance.exports;
  };
  m.init();
  if (typeof m._ZSTD_decompress !== 'function') throw new Error('zstd-wasm: the module did not initialise synchronously');
  loaded = m;
  return m;
}

function malloc(size: number): number {
  const pointer = zstdModule()._malloc(Math.max(1, size));
  if (pointer === 0) throw new RangeError(`zstd-wasm: cannot allocate ${size} bytes`);
  return pointer;
}

/** Copies `data` into wasm memory; the caller frees the pointer. */
function copyIn(data: Uint8Array): number {
  const pointer = malloc(data.length);
  zstdModule().HEAPU8.set(data, pointer);
  return pointer;
}

export function zstdWasmCompress(data: Buffer, level = ZSTD_DEFAULT_LEVEL): Buffer {
  checkZstdLevel(level);
  const src = copyIn(data);
  let dst = 0;
  try {
    const capacity = zstdModule()._ZSTD_compressBound(data.length);
    dst = malloc(capacity);
    const size = zstdModule()._ZSTD_compress(dst, capacity, src, data.length, level);
    if (zstdModule()._ZSTD_isError(size)) throw new EncodeError(`zstd: compression failed (error ${-size})`);
    return Buffer.from(zstdModule().HEAPU8.subarray(dst, dst + size));
  } finally {
    zstdModule()._free(src);
    if (dst !== 0) zstdModule()._free(dst);
  }
}

export function zstdWasmDecompress(data: Buffer, maxOutputBytes: number): Buffer {
  const { outputBound, exactSize } = scanZstdFrames(data, maxOutputBytes);
  const capacity = Math.min(outputBound, maxOutputBytes);
  const src = copyIn(data);
  let dst = 0;
  try {
    dst = malloc(capacity);
    const size = zstdModule()._ZSTD_decompress(dst, capacity, src, data.length);
    if (zstdModule()._ZSTD_isError(size)) {
      if (-size === ZSTD_ERROR_DST_SIZE_TOO_SMALL && !exactSize && capacity < outputBound) {
        throw new DecompressLimitError(NAME, maxOutputBytes, 'stopped while decoding');
      }
      throw new CorruptCompressedError(NAME, `decoder error ${-size}`);
    }
    if (exactSize && size !== outputBound) throw new CorruptCompressedError(NAME, 'size differs from the declared content size');
    return Buffer.from(zstdModule().HEAPU8.subarray(dst, dst + size));
  } finally {
    zstdModule()._free(src);
    if (dst !== 0) zstdModule()._free(dst);
  }
}
