/**
 * Listener strings: `listeners` / `advertised.listeners` entries NAME://host:port and the
 * `listener.security.protocol.map` pairs NAME:PROTOCOL, parsed with Kafka's rules and messages.
 */
import { SECURITY_PROTOCOLS } from './defs-broker-server.js';

export type SecurityProtocol = (typeof SECURITY_PROTOCOLS)[number];

export interface Endpoint {
  /** Listener name, upper-cased as Kafka normalises it. */
  readonly listenerName: string;
  /** null when the entry leaves the host empty (bind every interface). */
  readonly host: string | null;
  readonly port: number;
}

const ENDPOINT = /^(.*):\/\/\[?([0-9a-zA-Z\-%._:]*?)\]?:(-?[0-9]+)$/;

/** Kafka's Csv.parseCsvList: split on commas with surrounding whitespace, drop empty items. */
export function parseCsvList(text: string): string[] {
  return text.trim() === '' ? [] : text.trim().split(/\s*,\s*/).filter((s) => s !== '');
}

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

/** Parses a listeners value; names must be unique. */
export function parseListeners(text: string): Parsed<Endpoint[]> {
  const endpoints: Endpoint[] = [];
  for (const entry of parseCsvList(text)) {
    const match = ENDPOINT.exec(entry);
    const port = Number(match?.[3]);
    if (match === null || !Number.isInteger(port) || port < 0 || port > 65535) {
      return { ok: false, reason: `Unable to parse ${entry} to a broker endpoint` };
    }
    const host = match[2] ?? '';
    endpoints.push({ listenerName: (match[1] ?? '').toUpperCase(), host: host === '' ? null : host, port });
  }
  const names = endpoints.map((e) => e.listenerName);
  if (new Set(names).size !== names.length) {
    return { ok: false, reason: `Each listener must have a different name, listeners: ${text}` };
  }
  return { ok: true, value: endpoints };
}

/** Parses listener.security.protocol.map into listener name → protocol. */
export function parseSecurityProtocolMap(text: string): Parsed<Map<string, SecurityProtocol>> {
  const map = new Map<string, SecurityProtocol>();
  for (const entry of parseCsvList(text)) {
    const at = entry.lastIndexOf(':');
    const name = entry.slice(0, at).trim().toUpperCase();
    const protocol = entry.slice(at + 1).trim().toUpperCase();
    if (at <= 0 || !(SECURITY_PROTOCOLS as readonly string[]).includes(protocol)) {
      return { ok: false, reason: `Error parsing configuration property 'listener.security.protocol.map': invalid entry ${entry}` };
    }
    map.set(name, protocol as SecurityProtocol);
  }
  return { ok: true, value: map };
}
