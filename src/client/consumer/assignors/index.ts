/** The built-in client-side assignors of the classic protocol, by their protocol names. */
import type { BuiltInAssignorName, PartitionAssignor } from '../types.js';
import { cooperativeStickyAssignor } from './cooperative-sticky.js';
import { rangeAssignor } from './range.js';
import { roundRobinAssignor } from './round-robin.js';

export { cooperativeStickyAssignor, stickyAssignor } from './cooperative-sticky.js';
export { rangeAssignor } from './range.js';
export { roundRobinAssignor } from './round-robin.js';

export function builtInAssignor(name: BuiltInAssignorName): PartitionAssignor {
  if (name === 'range') return rangeAssignor;
  if (name === 'roundrobin') return roundRobinAssignor;
  return cooperativeStickyAssignor;
}
