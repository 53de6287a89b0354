// `npm run backtest -- --from <ISO> --to <ISO> [--dir <sim output>] [--truth file] …` (see backtest-command.ts).
import { writeFileSync } from 'node:fs';
import { backtestCommand, parseBacktestArgs } from './backtest-command';

async function main(): Promise<void> {
  const args = parseBacktestArgs(process.argv.slice(2));
  const t0 = performance.now();
  const { report, lines } = await backtestCommand(args);
  process.stdout.write(lines.join('\n') + '\n');
  process.stdout.write(`(${((performance.now() - t0) / 1000).toFixed(1)} s)\n`);
  if (args.json !== undefined) writeFileSync(args.json, JSON.stringify(report, null, 1));
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
