/**
 * `samsa protocol …`: look at the generated protocol tables and decode captured frames.
 */
import { API_INFOS, ERROR_INFOS, decodeRequestFrameHeader, Reader } from '../protocol/index.js';
import { DecodeError } from '../common/errors.js';

function range(r: { min: number; max: number } | undefined): string {
  if (!r) return '-';
  return r.max >= 32767 ? `${r.min}+` : r.min === r.max ? `${r.min}` : `${r.min}-${r.max}`;
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

/** JSON with bigints as strings and buffers as hex. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (typeof v === 'bigint') return v.toString();
    if (v && typeof v === 'object' && (v as { type?: string }).type === 'Buffer' && Array.isArray((v as { data?: unknown }).data)) {
      return Buffer.from((v as { data: number[] }).data).toString('hex');
    }
    return v;
  }, 2);
}

function decodeRequest(hex: string | undefined, out: (line: string) => void): number {
  if (!hex) {
    out('samsa protocol decode-request: give the frame as hex');
    return 2;
  }
  let frame = Buffer.from(hex.replace(/\s+/g, ''), 'hex');
  if (frame.length >= 4 && frame.readInt32BE(0) === frame.length - 4) frame = frame.subarray(4);
  try {
    const { header, info, bodyOffset } = decodeRequestFrameHeader(frame);
    if (!info) {
      out(`unknown API key ${header.requestApiKey}`);
      return 1;
    }
    const r = new Reader(frame, bodyOffset);
    const body = info.request.decode(r, header.requestApiVersion);
    out(toJson({ api: info.name, header, body, trailingBytes: r.remaining }));
    return 0;
  } catch (e) {
    if (e instanceof DecodeError) {
      out(`cannot decode: ${e.message}`);
      return 1;
    }
    throw e;
  }
}

export function protocolCommand(args: string[], out: (line: string) => void): number {
  switch (args[0]) {
    case 'apis':
      out(`${pad('key', 5)}${pad('name', 34)}${pad('versions', 10)}${pad('flexible', 10)}deprecated`);
      for (const a of API_INFOS) {
        out(`${pad(String(a.apiKey), 5)}${pad(a.name, 34)}${pad(range(a.validVersions), 10)}${pad(range(a.flexibleVersions), 10)}${range(a.deprecatedVersions)}`);
      }
      return 0;
    case 'errors':
      out(`${pad('code', 6)}${pad('name', 48)}retriable`);
      for (const e of ERROR_INFOS) out(`${pad(String(e.code), 6)}${pad(e.name, 48)}${e.retriable}`);
      return 0;
    case 'decode-request':
      return decodeRequest(args[1], out);
    default:
      out('usage: samsa protocol apis | errors | decode-request HEX');
      return 2;
  }
}
