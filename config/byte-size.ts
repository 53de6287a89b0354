// Sizes as DuckDB reads them ("128MB", "1GiB"): KB/MB/GB/TB are powers of 1000, KiB… of 1024.
// One pattern for the schema and one parser, so a check such as "the cache fits in the limit"
// compares what DuckDB will use.

export const BYTE_SIZE = /^(\d+(?:\.\d+)?)\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i;

const UNIT: Readonly<Record<string, number>> = { kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12, kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30, tib: 2 ** 40 };

/** Bytes of a size such as "48MB"; undefined when it is not one. */
export function parseByteSize(s: string): number | undefined {
  const m = BYTE_SIZE.exec(s.trim());
  if (!m?.[1] || !m[2]) return undefined;
  const unit = UNIT[m[2].toLowerCase()];
  return unit === undefined ? undefined : Math.round(Number(m[1]) * unit);
}
