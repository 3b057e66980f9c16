/**
 * What every JoinGroup path works from: the request, its context and the group it joins.
 */
import type { JoinGroupRequest } from '../../../protocol/index.js';
import type { RequestContext } from '../shard-api.js';
import type { ClassicEnv } from './env.js';
import type { ClassicGroup } from './group.js';
import type { ClassicProtocol } from './member.js';

export interface JoinArgs {
  readonly env: ClassicEnv;
  readonly ctx: RequestContext;
  readonly req: JoinGroupRequest;
  readonly group: ClassicGroup;
  readonly protocols: readonly ClassicProtocol[];
  /** v0 has no rebalance timeout: the session timeout stands in. */
  readonly rebalanceTimeoutMs: number;
}
