/** The server-side assignors a consumer group can use, by name. */
import { rangeAssignor } from './range.js';
import type { PartitionAssignor } from './types.js';
import { uniformAssignor } from './uniform.js';

export { rangeAssignor, RANGE_ASSIGNOR_NAME } from './range.js';
export { uniformAssignor, UNIFORM_ASSIGNOR_NAME } from './uniform.js';
export type { AssignmentGroupSpec, AssignmentMemberSpec, PartitionAssignor } from './types.js';

export const BUILT_IN_ASSIGNORS: ReadonlyMap<string, PartitionAssignor> = new Map([
  [uniformAssignor.name, uniformAssignor],
  [rangeAssignor.name, rangeAssignor],
]);
