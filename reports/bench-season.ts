// The season report's time on the embedded store: the whole network (83 stations) over a season
// at the default scan interval (5 min), the dataset of bench/season-dataset.ts (cached and shared
// with `npm run bench`). Separate from bench/run.ts (another part's); prints one line of result.
//
//   npx tsx reports/bench-season.ts [--days 151] [--out out/bench]

import { join, resolve } from 'node:path';
import { seasonDataset } from '../bench/season-dataset';
import { loadNetwork } from '../domain/network-loader';
import { DuckDBStore } from '../store/duckdb-store';
import { analyseSeason } from './season-analysis';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

async function main(): Promise<void> {
  const days = Number(arg('--days', '151'));
  const outDir = resolve(arg('--out', 'out/bench'));
  const network = loadNetwork('fixtures/networks/jiayuguan.json');
  const from = Date.parse('2025-11-01T00:00:00+08:00');
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  const data = await seasonDataset({ network, networkName: 'jiayuguan', from, days, scanMs: 300_000, cacheDir: join(outDir, 'cache'), log });
  const store = new DuckDBStore({ dataDir: data.dir });
  await store.connect();
  try {
    let last = -1;
    const t0 = performance.now();
    const r = await analyseSeason({ network, store }, data.from, data.to, {
      onProgress: (d, t) => {
        const p = Math.floor((d / t) * 10);
        if (p !== last) log(`  ${p * 10} %`);
        last = p;
      },
    });
    const ms = performance.now() - t0;
    process.stdout.write(
      `season report: ${network.stations.length} stations, ${network.compounds.length} compounds, ${days} days (${data.rows.toLocaleString('en')} rows, scan ${data.scanMs / 1000} s) on DuckDB in ${(ms / 1000).toFixed(1)} s; ${r.candidates.length} candidates\n`,
    );
  } finally {
    await store.close();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
