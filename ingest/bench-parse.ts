// Parse throughput of the ingest hot path (not a test: wall-clock numbers, machine-dependent).
// Run: npx tsx ingest/bench-parse.ts [network.json]

import { loadNetwork } from '../domain/network-loader';
import { DEFAULTS } from '../config/defaults';
import { countFieldValues } from '../domain/telemetry';
import { parseMessage } from './parse-message';
import { ingestSchemas, MAX_FIELDS_PER_READING, MAX_READINGS, type PayloadLimits } from './payload-schema';

const network = loadNetwork(process.argv[2] ?? 'fixtures/networks/mini.json');
const limits: PayloadLimits = {
  maxPayloadBytes: DEFAULTS.HEAT_MAX_PAYLOAD_BYTES,
  maxReadings: MAX_READINGS,
  maxFieldsPerReading: MAX_FIELDS_PER_READING,
  tsMaxFutureMs: DEFAULTS.HEAT_TS_MAX_FUTURE_MS,
  tsMaxPastMs: DEFAULTS.HEAT_TS_MAX_PAST_MS,
};
const now = Date.now();

const station = {
  ts: new Date(now).toISOString(),
  values: {
    t1_supply: 95.2, t1_return: 52.1, t2_supply: 48.5, t2_return: 39.8, flow1: 30.5, flow2: 180.2, p1_supply: 1.05, p1_return: 0.55,
    p2_supply: 0.45, p2_return: 0.3, valve_pct: 63.5, pump_state: 'run', pump_hz: 42.5, makeup_flow: 0.2, heat_gj: 123456.7, t2_supply_sp: 49,
  },
};
const compound = { ts: now, values: { t_supply: 47.1, t_return: 40.2, dp: 55, flow: 40.1, 't_indoor.longhu-huating-s1': 18.2, 't_indoor.longhu-huating-s2': 19.1 } };
const batch = { readings: Array.from({ length: 60 }, (_, i) => ({ ...station, ts: now - i * 60_000 })) };

const cases: Array<[string, string, Buffer]> = [
  ['station reading, 16 fields', 'heat/v1/station/dexuan', Buffer.from(JSON.stringify(station))],
  ['compound reading, 4 fields + 2 sensors', 'heat/v1/compound/longhu-huating', Buffer.from(JSON.stringify(compound))],
  ['batch of 60 station readings', 'heat/v1/station/dexuan', Buffer.from(JSON.stringify(batch))],
];

function bench(name: string, topic: string, payload: Buffer): void {
  const check = parseMessage(topic, payload, network, now, limits);
  if (check.rejections.length) throw new Error(`${name}: unexpected rejections ${JSON.stringify(check.rejections)}`);
  const values = countFieldValues(check.metrics);
  for (let i = 0; i < 20_000; i++) parseMessage(topic, payload, network, now, limits); // warm-up
  const n = name.startsWith('batch') ? 20_000 : 300_000;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) parseMessage(topic, payload, network, now, limits);
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(`${name.padEnd(40)} ${Math.round(n / s).toLocaleString('en')} msg/s  ${Math.round((n * values) / s).toLocaleString('en')} field values/s`);
}

for (const [name, topic, payload] of cases) bench(name, topic, payload);

// Why the hand check sits in front of zod: the same well-formed reading, checked by zod alone.
const schema = ingestSchemas(limits).reading;
const parsed: unknown = JSON.parse(JSON.stringify(station));
const n = 300_000;
const t0 = process.hrtime.bigint();
for (let i = 0; i < n; i++) schema.safeParse(parsed);
const s = Number(process.hrtime.bigint() - t0) / 1e9;
console.log(`${'zod safeParse alone, station reading'.padEnd(40)} ${Math.round(n / s).toLocaleString('en')} readings/s`);
