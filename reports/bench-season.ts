// The season report's time on the embedded store, alone (`npm run bench -- --only season` runs the
// same part inside the bench): the whole network (83 stations) over a stored season at the
// simulator's default scans (station 60 s, compound 5 min), bench/season-dataset.ts (cached,
// shared with `npm run bench`), against the floor of a plain scan; see bench/season-report.ts.
//
//   npx tsx reports/bench-season.ts [--days 151] [--per-entity] [--out out/bench]
//   --per-entity also times the port-only path (one store.aggregate per entity): slow over a season.

import { join, resolve } from 'node:path';
import { formatSeason } from '../bench/report';
import { seasonDataset } from '../bench/season-dataset';
import { seasonReportBench } from '../bench/season-report';
import { loadNetwork } from '../domain/network-loader';

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
  const data = await seasonDataset({ network, networkName: 'jiayuguan', from, days, scanMs: 300_000, stationScanMs: 60_000, cacheDir: join(outDir, 'cache'), log });
  const r = await seasonReportBench(network, data, { perEntity: process.argv.includes('--per-entity'), log });
  process.stdout.write(`${formatSeason(r).join('\n')}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
