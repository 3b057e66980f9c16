/**
 * Incremental fetch sessions (KIP-227). A client opens one with a full fetch (session id 0,
 * epoch 0); later requests name the session and carry only partitions that changed, and the
 * answers carry only partitions with something new. The cache is bounded
 * (max.incremental.fetch.session.cache.slots); when it is full the client gets no session and
 * keeps sending full requests, as Kafka allows.
 */
import { ErrorCode } from '../protocol/index.js';

/** Session id 0: no session. Epoch -1: close / no session; epoch 0: open a new one. */
export const INVALID_SESSION_ID = 0;
export const FINAL_EPOCH = -1;
export const INITIAL_EPOCH = 0;

export interface SessionPartition {
  /** Topic name, or the topic id from Fetch v13 (the key the client uses). */
  topicKey: string;
  partition: number;
  fetchOffset: bigint;
  partitionMaxBytes: number;
  currentLeaderEpoch: number;
  /** What the last answer told the client, to send only changes. */
  lastHighWatermark: bigint;
  lastLogStartOffset: bigint;
}

interface Session {
  id: number;
  /** The epoch the next request must carry. */
  nextEpoch: number;
  partitions: Map<string, SessionPartition>;
  lastUsedMs: number;
}

export type SessionLookup =
  | { kind: 'sessionless' }
  | { kind: 'new'; session: Session | null }
  | { kind: 'incremental'; session: Session }
  | { kind: 'error'; errorCode: number };

export const partitionKey = (topicKey: string, partition: number): string => `${topicKey}\u0000${partition}`;

export class FetchSessionCache {
  private readonly sessions = new Map<number, Session>();
  private nextId = 1;

  constructor(private readonly maxSessions: number, private readonly evictAfterMs = 120_000) {}

  get size(): number {
    return this.sessions.size;
  }

  /** Decides what a request's session id and epoch mean; opening a session reserves a slot. */
  begin(sessionId: number, epoch: number, nowMs: number): SessionLookup {
    if (sessionId === INVALID_SESSION_ID) {
      if (epoch === FINAL_EPOCH) return { kind: 'sessionless' };
      if (epoch !== INITIAL_EPOCH) return { kind: 'error', errorCode: ErrorCode.INVALID_FETCH_SESSION_EPOCH };
      return { kind: 'new', session: this.open(nowMs) };
    }
    const session = this.sessions.get(sessionId);
    if (epoch === FINAL_EPOCH) {
      this.sessions.delete(sessionId);
      return { kind: 'sessionless' };
    }
    if (!session) return { kind: 'error', errorCode: ErrorCode.FETCH_SESSION_ID_NOT_FOUND };
    if (epoch === INITIAL_EPOCH || epoch !== session.nextEpoch) return { kind: 'error', errorCode: ErrorCode.INVALID_FETCH_SESSION_EPOCH };
    session.lastUsedMs = nowMs;
    return { kind: 'incremental', session };
  }

  /** After an answer: the next epoch the session expects (wrapping as Kafka does, never to 0). */
  advance(session: Session): void {
    session.nextEpoch = session.nextEpoch >= 0x7fffffff ? 1 : session.nextEpoch + 1;
  }

  private open(nowMs: number): Session | null {
    this.evictIdle(nowMs);
    if (this.sessions.size >= this.maxSessions) return null;
    let id = this.nextId;
    while (id === INVALID_SESSION_ID || this.sessions.has(id)) id = (id % 0x7fffffff) + 1;
    this.nextId = (id % 0x7fffffff) + 1;
    const session: Session = { id, nextEpoch: 1, partitions: new Map(), lastUsedMs: nowMs };
    this.sessions.set(id, session);
    return session;
  }

  private evictIdle(nowMs: number): void {
    for (const [id, s] of this.sessions) if (nowMs - s.lastUsedMs > this.evictAfterMs) this.sessions.delete(id);
  }
}
