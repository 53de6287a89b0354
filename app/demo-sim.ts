// The simulated city inside `npm start`: publishes over MQTT to the broker the ingester listens
// on, exactly as real station gateways would. History before "now" is backfilled at once so
// charts have a day behind them; from "now" on the city runs at HEAT_SIM_SPEED× real time.
//
// Lifecycle: createDemoSim() (builds the city, warms it up) → start(mqttUrl) → stop().
// While it runs, `clock` is the application's clock (simulated event time), so that "now",
// "the last 24 h" and timestamp checks agree with the data being shown.

import { connectAsync, type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import type { Config } from '../config/config';
import type { Clock } from '../domain/clock';
import { systemClock } from '../domain/clock';
import type { NetworkModel } from '../domain/network';
import { createCity } from '../fixtures/sim/city';
import { createHotline } from '../fixtures/sim/hotline/index';
import type { SimTicket } from '../fixtures/sim/hotline/types';
import { LiveSim } from '../fixtures/sim/live';
import { loadScenario } from '../fixtures/sim/scenario';

const DEFAULT_SCENARIO = 'fixtures/scenarios/demo.json';
const BACKFILL_MS = 24 * 3_600_000;

export interface DemoSim {
  readonly clock: Clock;
  readonly speed: number;
  readonly scenario: string;
  /** Tickets of the simulated hotline go here from now on. */
  sendTicketsTo(sink: TicketSink): void;
  start(mqttUrl: string): Promise<void>;
  stop(): Promise<void>;
  stats(): { steps: number; published: number; publishErrors: number; tickets: number };
}

/** Where the simulated hotline's tickets go (the ticket service, as the 12345 system would post them). */
export type TicketSink = (tickets: readonly SimTicket[]) => Promise<void>;

export function createDemoSim(config: Config, network: NetworkModel, logger: Logger): DemoSim {
  const now = systemClock.now();
  const start = config.HEAT_SIM_START ? Date.parse(config.HEAT_SIM_START) : now - BACKFILL_MS;
  const scenarioPath = config.HEAT_SIM_SCENARIO || DEFAULT_SCENARIO;
  const scenario = loadScenario(scenarioPath, network, { origin: start });
  const seed = config.HEAT_SIM_SEED;
  const city = createCity({ network, scenario, seed, start, hotline: createHotline({ network, seed }) });
  let client: MqttClient | undefined;
  let tickets = 0;
  let sink: TicketSink | undefined;
  let publishErrorsLogged = 0;
  const sim = new LiveSim({
    city,
    clock: systemClock,
    speed: config.HEAT_SIM_SPEED,
    liveFrom: Math.max(start, now),
    publish: async (topic, payload) => {
      if (!client) throw new Error('simulator publisher not connected');
      await client.publishAsync(topic, payload, { qos: 1 });
    },
    onTickets: async (t) => {
      tickets += t.length;
      try {
        await sink?.(t);
      } catch (e) {
        logger.warn({ err: e, tickets: t.length }, 'simulated tickets not taken in');
      }
    },
    onError: (e) => {
      // Count is in stats(); log the first few so a broken broker is visible without flooding.
      if (publishErrorsLogged++ < 5) logger.warn({ err: e }, 'simulator publish failed');
    },
  });
  return {
    clock: sim.simClock,
    speed: config.HEAT_SIM_SPEED,
    scenario: scenarioPath,
    sendTicketsTo(s) {
      sink = s;
    },
    async start(mqttUrl) {
      client = await connectAsync(mqttUrl, {
        clientId: `heat-sim-${process.pid}`,
        ...(config.HEAT_MQTT_USERNAME ? { username: config.HEAT_MQTT_USERNAME, password: config.HEAT_MQTT_PASSWORD } : {}),
      });
      sim.start();
    },
    async stop() {
      await sim.stop();
      await client?.endAsync();
      client = undefined;
    },
    stats: () => ({ ...sim.stats, tickets }),
  };
}
