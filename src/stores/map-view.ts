// A read-only Map over data kept in another shape. The memory store keeps each value once,
// in the structure its reads need (a district's students and members), and shows the flat
// tables (`data.students`, `data.links`, `data.accounts`) as views: at a million links a
// second copy of every table would cost hundreds of MiB and as much again in garbage
// collection while it grows.

export interface MapViewSource<V> {
  get(key: string): V | undefined;
  size(): number;
  /** Every entry, in a stable order. */
  entries(): Iterable<[string, V]>;
}

export class MapView<V> implements ReadonlyMap<string, V> {
  constructor(private readonly source: MapViewSource<V>) {}

  get size(): number {
    return this.source.size();
  }

  get(key: string): V | undefined {
    return this.source.get(key);
  }

  has(key: string): boolean {
    return this.source.get(key) !== undefined;
  }

  *entries(): MapIterator<[string, V]> {
    yield* this.source.entries();
  }

  *keys(): MapIterator<string> {
    for (const [key] of this.source.entries()) yield key;
  }

  *values(): MapIterator<V> {
    for (const [, value] of this.source.entries()) yield value;
  }

  forEach(callback: (value: V, key: string, map: ReadonlyMap<string, V>) => void, thisArg?: unknown): void {
    for (const [key, value] of this.source.entries()) callback.call(thisArg, value, key, this);
  }

  [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries();
  }
}
