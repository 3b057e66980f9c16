/**
 * The names of the in-memory file system: a flat map from absolute path to node, changed by
 * three operations (link, rename, remove) that can be replayed onto the durable copy.
 */
import type { FileContent } from './fs-memory-content.js';

export type Node = { kind: 'dir' } | { kind: 'file'; content: FileContent; mtimeMs: number };

export type NsOp =
  | { kind: 'link'; path: string; node: Node }
  | { kind: 'rename'; from: string; to: string }
  | { kind: 'remove'; path: string };

/** An error shaped like node's (with `code`). */
export function fsError(code: string, op: string, path: string): Error {
  return Object.assign(new Error(`${code}: ${op} '${path}'`), { code });
}

/** Whether `path` lies inside directory `dir`. */
export const under = (path: string, dir: string): boolean => path.startsWith(dir === '/' ? '/' : `${dir}/`);

/** Applies one change; a removed or renamed directory takes everything under it along. */
export function applyNsOp(ns: Map<string, Node>, op: NsOp): void {
  if (op.kind === 'link') {
    ns.set(op.path, op.node);
    return;
  }
  const root = op.kind === 'rename' ? op.from : op.path;
  const moved = [...ns].filter(([p]) => p === root || under(p, root));
  for (const [p] of moved) ns.delete(p);
  if (op.kind === 'rename') {
    // One atomic step: whatever was at the target is replaced.
    for (const p of [...ns.keys()]) if (p === op.to || under(p, op.to)) ns.delete(p);
    for (const [p, node] of moved) ns.set(op.to + p.slice(root.length), node);
  }
}

