/** KIP-848 consumer groups (the consumer rebalance protocol), server side. */
export { ConsumerGroups } from './consumer-groups.js';
export { BUILT_IN_ASSIGNORS, rangeAssignor, uniformAssignor } from './assignors/index.js';
export type { AssignmentGroupSpec, AssignmentMemberSpec, PartitionAssignor } from './assignors/index.js';
export type { Assignment } from './assignment.js';
export { MemberState } from './member.js';
