// Sizes as DuckDB reads them ("128MB", "1GiB"): KB/MB/GB/TB are powers of 1000, KiB… of 1024.
// One pattern for the schema and one parser, so a check such as "the cache fits in the limit"
// compares what DuckDB will use, and a size put into a SET statement is a size and nothing else.

import { HeatError } from '../domain/errors';

export const BYTE_SIZE = /^(\d+(?:\.\d+)?)\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i;

const UNIT: Readonly<Record<string, number>> = { kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12, kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30, tib: 2 ** 40 };

/** Bytes of a size such as "48MB"; undefined when it is not one. */
export function parseByteSize(s: string): number | undefined {
  const m = BYTE_SIZE.exec(s.trim());
  if (!m?.[1] || !m[2]) return undefined;
  const unit = UNIT[m[2].toLowerCase()];
  return unit === undefined ? undefined : Math.round(Number(m[1]) * unit);
}

/** Bytes of the size setting `key`; a CONFIG_INVALID error naming the key and the value when it is not a size. */
export function byteSizeOf(key: string, value: string): number {
  const bytes = parseByteSize(value);
  if (bytes === undefined) throw new HeatError('CONFIG_INVALID', `${key}=${JSON.stringify(value)}: must be a size such as 128MB or 1GiB`);
  return bytes;
}
