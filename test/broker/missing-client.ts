/**
 * A third-party client that is not installed: in CI (SAMSA_TEST_REQUIRE_INTEROP=1) the test
 * fails; locally it is skipped with a visible message.
 */
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';

export const INTEROP_REQUIRED = process.env.SAMSA_TEST_REQUIRE_INTEROP === '1';

export function missing(t: TestContext, what: string): void {
  if (INTEROP_REQUIRED) assert.fail(`${what} is required (SAMSA_TEST_REQUIRE_INTEROP=1) but not available`);
  t.skip(`${what} not available`);
}

/** True when `present` is truthy; otherwise `missing(t, what)` and false. */
export function have(t: TestContext, present: unknown, what: string): boolean {
  if (present) return true;
  missing(t, what);
  return false;
}
