// Fixed-size regions of zeros cut from large typed arrays, for state every entity of a scope keeps
// in the same shape (its windows' headers and single-precision cells). One typed array per entity
// costs ≈ 250 bytes of objects and allocator overhead beside its data (≈ 6 MB for a city's 22 k
// entities per array kind) and keeps the data on the JS heap, where the collector's headroom
// comes on top; a slab's chunks are a few large off-heap buffers. Regions are never returned:
// an entity's state lives as long as the network model it was built from.

/** Floats per chunk (1 MB of doubles). */
const CHUNK = 1 << 17;

export class FloatSlab<A extends Float32Array | Float64Array> {
  private chunk: A | undefined;
  private used = 0;

  constructor(
    /** Floats per region. */
    readonly size: number,
    private readonly make: (n: number) => A,
  ) {}

  /** Cuts a region of `size` zeros: returns where it starts in `array`, which is the chunk it was cut from until the next `take`. */
  take(): number {
    if (this.chunk === undefined || this.used + this.size > this.chunk.length) {
      this.chunk = this.make(Math.max(1, Math.floor(CHUNK / this.size)) * this.size);
      this.used = 0;
    }
    const at = this.used;
    this.used += this.size;
    return at;
  }

  /** The chunk the last region was cut from. */
  get array(): A {
    if (this.chunk === undefined) throw new Error('FloatSlab: no region taken yet');
    return this.chunk;
  }
}
