// Arbitrary: some bytes and one way of cutting them into stream chunks (empty chunks
// included), for anything that must not care how a stream was split.
import { fc } from '@fast-check/vitest';

export interface ChunkedBytes {
  readonly bytes: Uint8Array;
  readonly chunks: readonly Uint8Array[];
}

export function chunkedBytes(constraints: { minLength?: number; maxLength?: number } = {}): fc.Arbitrary<ChunkedBytes> {
  return fc
    .uint8Array({ minLength: constraints.minLength ?? 0, maxLength: constraints.maxLength ?? 2048 })
    .chain((bytes) =>
      fc.array(fc.integer({ min: 0, max: bytes.byteLength }), { maxLength: 8 }).map((cuts) => {
        const points = [0, ...cuts.sort((a, b) => a - b), bytes.byteLength];
        const chunks = points.slice(1).map((end, i) => bytes.slice(points[i] ?? 0, end));
        return { bytes, chunks };
      }),
    );
}
