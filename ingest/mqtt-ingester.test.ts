import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { loadNetwork } from '../domain/network-loader';
import { MqttIngester, type MqttIngesterOptions } from './mqtt-ingester';
import { MAX_FIELDS_PER_READING, MAX_READINGS } from './payload-schema';
import { IngestWriter } from './writer';

const network = loadNetwork(fileURLToPath(new URL('../fixtures/networks/mini.json', import.meta.url)));
const logger = pino({ level: 'silent' });
const base = (o: Partial<MqttIngesterOptions> = {}): MqttIngesterOptions => ({
  url: 'mqtt://127.0.0.1:1',
  clientId: 'heat-ingest-test',
  network,
  writer: new IngestWriter({ store: { write: async () => {} }, logger, batchSize: 10, bufferMax: 100, flushMs: 100 }),
  logger,
  limits: { maxPayloadBytes: 1000, maxReadings: MAX_READINGS, maxFieldsPerReading: MAX_FIELDS_PER_READING, tsMaxFutureMs: 1, tsMaxPastMs: 1 },
  maxInflight: 100,
  ...o,
});

describe('MqttIngester configuration', () => {
  it('subscribes to the three contract topics, under $share/<group>/ when a group is set', () => {
    expect(new MqttIngester(base()).topicFilters).toEqual(['heat/v1/station/+', 'heat/v1/compound/+', 'heat/v1/weather/+']);
    expect(new MqttIngester(base({ sharedGroup: 'ingest' })).topicFilters).toEqual([
      '$share/ingest/heat/v1/station/+',
      '$share/ingest/heat/v1/compound/+',
      '$share/ingest/heat/v1/weather/+',
    ]);
  });

  it('refuses settings MQTT cannot express, naming the setting and value', () => {
    expect(() => new MqttIngester(base({ maxInflight: 70_000 }))).toThrow(/HEAT_MAX_INFLIGHT.*70000/);
    expect(() => new MqttIngester(base({ maxInflight: 0 }))).toThrow(/HEAT_MAX_INFLIGHT/);
    expect(() => new MqttIngester(base({ sharedGroup: 'a/b' }))).toThrow(/sharedGroup.*"a\/b"/);
  });

  it('fails start() with the broker URL (password hidden) when nothing listens there', async () => {
    const ing = new MqttIngester(base({ url: 'mqtt://user:pw@127.0.0.1:1', reconnectPeriodMs: 0, connectTimeoutMs: 2000 }));
    await expect(ing.start()).rejects.toThrow(/mqtt:\/\/user:\*\*\*@127\.0\.0\.1:1 \(HEAT_MQTT_URL\): cannot connect/);
  });
});
