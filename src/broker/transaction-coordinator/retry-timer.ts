/**
 * Where the transaction side of the broker waits before retrying (a producer-id block the
 * controller refused, a marker a partition could not take yet): the coordinator's CoarseTimer in
 * the broker, a manual twin in tests (testing/manual-timer.ts). Delays grow exponentially up to
 * a cap, so a long outage costs a few wake-ups a second, never a busy loop.
 */
import type { CoarseTimer } from '../coordinator-runtime/coarse-timer.js';

export type RetryTimer = Pick<CoarseTimer, 'add' | 'cancel'>;

export interface BackoffSettings {
  /** The first retry's delay. */
  readonly initialMs: number;
  /** No retry waits longer than this. */
  readonly maxMs: number;
}

/** The delay before retry number `attempt` (1 for the first retry): initialMs doubled per attempt, capped. */
export function backoffDelayMs(settings: BackoffSettings, attempt: number): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 30);
  return Math.min(settings.maxMs, settings.initialMs * 2 ** exponent);
}
