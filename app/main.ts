// `npm start`: the whole system on embedded defaults (or whatever the environment configures).
import { loadConfig } from '../config/config';
import { isHeatError } from '../domain/errors';
import { adaptHeapGrowth } from './heap-tuning';
import { createLogger } from './logger';
import { startApp } from './start-app';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    process.stderr.write(`${isHeatError(e) ? e.message : String(e)}\n`);
    process.exit(2);
  }
  // Before the network and the rules' state are built.
  const heap = adaptHeapGrowth({ busyPercent: config.HEAT_HEAP_GROWING_PERCENT, calmPercent: config.HEAT_HEAP_GROWING_PERCENT_CALM });
  const logger = createLogger(config.LOG_LEVEL);
  const app = await startApp(config, logger);
  const shownUrl = app.url.replace('://0.0.0.0', '://localhost');
  process.stdout.write(
    `\n  热网哨兵 HeatWatch 已启动 / running\n` +
      `  Dashboard 看板:  ${shownUrl}\n` +
      `  MQTT broker:     ${app.mqttUrl}\n` +
      (app.sim ? `  Simulated city:  ${app.network.stations.length} stations at ×${app.sim.speed} (scenario ${app.sim.scenario})\n` : '') +
      `  Metrics:         ${shownUrl.replace(/\/$/, "")}/metrics\n\n`,
  );
  let stopping = false;
  const shutdown = (sig: string): void => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info({ sig }, 'shutting down');
    heap.stop();
    void app.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((e: unknown) => {
  process.stderr.write(`fatal: ${isHeatError(e) ? e.message : (e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
