// How the product's process is started: `npm start` (package.json) runs the bundle with these Node
// flags and this environment, and the bench starts its ingest process the same way (bench/child.ts).
// app/launch.test.ts checks package.json says the same.
//
// - `--max-semi-space-size=8` (MB; V8's default grows to 16): at a full-speed burst the peak RSS is
//   ≈ 47 MB lower (293 vs 340 MB), at a steady city load with rules ≈ 8 MB (453 vs 461 after 120 s),
//   with the same rate and CPU per value within this machine's noise (bench/README.md). It is read when the heap is set up, so it is a
//   command-line flag, not set at run time as the heap growth is (heap-tuning.ts).
// - `MALLOC_ARENA_MAX=2`: DuckDB's threads and Node's thread pool otherwise each grow a glibc malloc
//   arena of their own: ≈ 23 MB of RSS at city load, same latency. An operator's value wins.

export const NODE_FLAGS: readonly string[] = ['--max-semi-space-size=8'];

export const LAUNCH_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2' };
