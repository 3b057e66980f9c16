/**
 * Coordinators: deterministic state machines that return (records, response) and rebuild their
 * state by replaying the records.
 */
export * from './group/index.js';
export * from './transaction/index.js';
