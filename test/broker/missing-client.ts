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
