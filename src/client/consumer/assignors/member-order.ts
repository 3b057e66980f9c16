/** Members in the order Kafka's assignors use: by group.instance.id when set, then by member id. */
import type { AssignorMember } from '../types.js';

export function compareMembers(a: AssignorMember, b: AssignorMember): number {
  const ka = a.groupInstanceId;
  const kb = b.groupInstanceId;
  if (ka !== null && kb !== null && ka !== kb) return ka < kb ? -1 : 1;
  if (ka !== null && kb === null) return -1;
  if (ka === null && kb !== null) return 1;
  return a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0;
}
