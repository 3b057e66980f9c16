/**
 * max.connections and max.connections.per.ip, checked when a socket is accepted (Kafka's
 * ConnectionQuotas). Kafka refuses a connection over the per-IP limit by closing it; over the
 * broker-wide limit it stops accepting until a slot frees (waitForConnectionSlot). Node accepts
 * for us, so both limits close the new socket at once.
 */
import type { CloseReason } from './metrics.js';

/** "::ffff:127.0.0.1" (an IPv4 client on a dual-stack socket) counts as "127.0.0.1". */
export function normalizeIp(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

export class ConnectionQuotas {
  private readonly maxConnections: number;
  private readonly maxConnectionsPerIp: number;
  private readonly overrides: ReadonlyMap<string, number>;
  /** Only addresses with at least one open connection; bounded by the open connections. */
  private readonly countsByIp = new Map<string, number>();
  private total = 0;

  constructor(maxConnections: number, maxConnectionsPerIp: number, overrides: ReadonlyMap<string, number>) {
    this.maxConnections = maxConnections;
    this.maxConnectionsPerIp = maxConnectionsPerIp;
    this.overrides = new Map([...overrides].map(([ip, max]) => [normalizeIp(ip), max]));
  }

  get totalCount(): number {
    return this.total;
  }

  countFor(ip: string): number {
    return this.countsByIp.get(normalizeIp(ip)) ?? 0;
  }

  /** Takes a slot for `ip`, or says which limit refuses it. */
  tryAcquire(ip: string): { ok: true } | { ok: false; reason: CloseReason; limit: number } {
    const key = normalizeIp(ip);
    if (this.total >= this.maxConnections) return { ok: false, reason: 'maxConnections', limit: this.maxConnections };
    const count = this.countsByIp.get(key) ?? 0;
    const limit = this.overrides.get(key) ?? this.maxConnectionsPerIp;
    if (count >= limit) return { ok: false, reason: 'maxConnectionsPerIp', limit };
    this.countsByIp.set(key, count + 1);
    this.total++;
    return { ok: true };
  }

  release(ip: string): void {
    const key = normalizeIp(ip);
    const count = this.countsByIp.get(key) ?? 0;
    if (count <= 1) this.countsByIp.delete(key);
    else this.countsByIp.set(key, count - 1);
    if (count > 0) this.total--;
  }
}
