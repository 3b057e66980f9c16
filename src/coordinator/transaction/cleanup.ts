/**
 * The coordinator's two periodic passes (Kafka's abortTimedOutTransactions and
 * removeExpiredTransactionalIds), one timer key each, re-armed on every run: ongoing transactions
 * older than their timeout are aborted with a bumped epoch (fencing their producer), and idle
 * transactional ids not used for transactional.id.expiration.ms are removed with a tombstone.
 * A pass writes at most MAX_RECORDS_PER_PASS records (one batch) and runs again at once if more remain.
 */
import type { TimerResult } from '../runtime-api.js';
import { fenceAndAbort } from './completion.js';
import { sendMarkers, type TxnEnv } from './env.js';
import { isIdle } from './metadata.js';
import { transactionTombstone } from './records.js';
import { type MarkerJob, type TransactionRecord, TransactionState } from './shard-api.js';

export const ABORT_TIMED_OUT_TRANSACTIONS_KEY = 'transaction-abort';
export const REMOVE_EXPIRED_TRANSACTIONAL_IDS_KEY = 'transactional-id-expiration';
export const MAX_RECORDS_PER_PASS = 500;

export function scheduleCleanup(env: TxnEnv): void {
  scheduleAbortPass(env, env.options.config.abortTimedOutTransactionCleanupIntervalMs);
  scheduleExpiryPass(env, env.options.config.removeExpiredTransactionalIdCleanupIntervalMs);
}

export function cancelCleanup(env: TxnEnv): void {
  env.options.timer.cancel(ABORT_TIMED_OUT_TRANSACTIONS_KEY);
  env.options.timer.cancel(REMOVE_EXPIRED_TRANSACTIONAL_IDS_KEY);
}

function scheduleAbortPass(env: TxnEnv, delayMs: number): void {
  env.options.timer.schedule(ABORT_TIMED_OUT_TRANSACTIONS_KEY, delayMs, () => {
    const { result, more } = abortTimedOutTransactions(env);
    scheduleAbortPass(env, more ? 0 : env.options.config.abortTimedOutTransactionCleanupIntervalMs);
    return result;
  });
}

function scheduleExpiryPass(env: TxnEnv, delayMs: number): void {
  env.options.timer.schedule(REMOVE_EXPIRED_TRANSACTIONAL_IDS_KEY, delayMs, () => {
    const { records, more } = removeExpiredTransactionalIds(env);
    scheduleExpiryPass(env, more ? 0 : env.options.config.removeExpiredTransactionalIdCleanupIntervalMs);
    return records;
  });
}

/** Ongoing transactions whose start + timeout is past: PrepareAbort with a bumped epoch, markers once durable. */
function abortTimedOutTransactions(env: TxnEnv): { result: TimerResult<TransactionRecord>; more: boolean } {
  const nowMs = env.options.clock.nowMs();
  const timedOut = [...env.transactions.values()]
    .filter((m) => m.state === TransactionState.Ongoing && m.txnStartTimestamp + m.txnTimeoutMs < nowMs);
  const records: TransactionRecord[] = [];
  const jobs: MarkerJob[] = [];
  for (const metadata of timedOut.slice(0, MAX_RECORDS_PER_PASS)) {
    const completion = fenceAndAbort(env, metadata);
    records.push(...completion.records);
    jobs.push(...completion.jobs);
  }
  return { result: { records, onDurable: sendMarkers(env, jobs) }, more: timedOut.length > MAX_RECORDS_PER_PASS };
}

/** Idle ids (Empty, CompleteCommit, CompleteAbort) last updated at least transactional.id.expiration.ms ago. */
function removeExpiredTransactionalIds(env: TxnEnv): { records: TransactionRecord[]; more: boolean } {
  const cutoffMs = env.options.clock.nowMs() - env.options.config.transactionalIdExpirationMs;
  const expired = [...env.transactions.values()].filter((m) => isIdle(m.state) && m.txnLastUpdateTimestamp <= cutoffMs);
  const records = expired.slice(0, MAX_RECORDS_PER_PASS).map((m) => {
    env.transactions.delete(m.transactionalId);
    return transactionTombstone(m.transactionalId);
  });
  return { records, more: expired.length > MAX_RECORDS_PER_PASS };
}
