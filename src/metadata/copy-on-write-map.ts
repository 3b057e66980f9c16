/**
 * A map that reads through to a base map until its first write, then works on a private copy:
 * how one image's maps become the next image's without copying what did not change.
 */
export class CopyOnWriteMap<K, V> {
  private readonly base: ReadonlyMap<K, V>;
  private copy: Map<K, V> | undefined;

  constructor(base: ReadonlyMap<K, V>) {
    this.base = base;
  }

  private get current(): ReadonlyMap<K, V> {
    return this.copy ?? this.base;
  }

  private writable(): Map<K, V> {
    return (this.copy ??= new Map(this.base));
  }

  get(key: K): V | undefined {
    return this.current.get(key);
  }

  has(key: K): boolean {
    return this.current.has(key);
  }

  values(): IterableIterator<V> {
    return this.current.values();
  }

  set(key: K, value: V): void {
    this.writable().set(key, value);
  }

  delete(key: K): void {
    if (this.current.has(key)) this.writable().delete(key);
  }

  /** The map as it is now: the base itself when nothing was written. */
  result(): ReadonlyMap<K, V> {
    return this.current;
  }
}
