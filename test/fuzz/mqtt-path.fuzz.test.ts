// Issue 9, item 4 (the live path): 10,000 generated inputs — hostile ones interleaved with good
// readings and duplicates — published over MQTT (QoS 1) into the composed app (embedded broker,
// ingester, DuckDB). The app never crashes and keeps answering; every rejection the parser
// decides is reported on heat/v1/_rejected with its code and reason; every good field value is in
// the store exactly once, and nothing else is.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import mqtt from 'mqtt';
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { startApp } from '../../app/start-app';
import { loadNetwork } from '../../domain/network-loader';
import type { FieldValue } from '../../domain/telemetry';
import { parseMessage } from '../../ingest/parse-message';
import { payloadLimits, REJECTED_TOPIC } from '../../ingest/payload-schema';
import { DUCKDB_FILE } from '../../store/duckdb-store';
import { pollUntil } from '../chaos/support/poll';
import { e2eConfig, MINI_NETWORK } from '../e2e/app-config';
import { generateCorpus, type FuzzInput } from './hostile-payloads';

async function storedFieldValues(path: string): Promise<Array<[string, FieldValue]>> {
  const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  try {
    const c = await instance.connect();
    const rows = (await c.runAndReadAll('SELECT measurement, id, sensor, field, time::DOUBLE, num, str, bool FROM readings')).getRowsJS();
    c.closeSync();
    return rows.map((r) => [`${String(r[0])}/${String(r[1])}/${String(r[2])}/${String(r[3])}/${Number(r[4])}`, (r[5] ?? r[6] ?? r[7]) as FieldValue]);
  } finally {
    instance.closeSync();
  }
}

describe('fuzz: the live MQTT path of the composed app', () => {
  it('10,000 hostile and good messages: no crash, every rejection reported with a reason, every good value stored once', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'heat-fuzz-'));
    const config = e2eConfig({ HEAT_DATA_DIR: dataDir, HEAT_FLUSH_MS: '100', LOG_LEVEL: 'silent' });
    const limits = payloadLimits(config);
    const network = loadNetwork(MINI_NETWORK);
    let crashes = 0;
    const onCrash = (): void => void crashes++;
    process.on('uncaughtException', onCrash);
    process.on('unhandledRejection', onCrash);
    // The ingester's own log: it must never lose its connection to the broker over hostile input.
    const connects: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void (/"MQTT (connected|connection lost)/.test(line) && connects.push(line)) });
    const app = await startApp(config, logger);
    const now = Date.now();
    const corpus: FuzzInput[] = generateCorpus({ seed: 90_210, count: 10_000, network, now, limits, mqtt: true, goodShare: 0.25 });
    // What the parser decides for each input is what the live path must report.
    const expectedCodes = new Map<string, number>();
    const expectedYields = new Map<string, FieldValue>();
    let expectedWrites = 0;
    for (const input of corpus) {
      const r = parseMessage(input.topic, input.payload, network, now, limits);
      for (const x of r.rejections) expectedCodes.set(x.code, (expectedCodes.get(x.code) ?? 0) + 1);
      for (const [k, v] of input.yields) expectedYields.set(k, v);
      expectedWrites += input.yields.size;
    }
    const expectedReports = [...expectedCodes.values()].reduce((a, b) => a + b, 0);

    const reports = new Map<string, number>();
    let reportCount = 0;
    let reasonless = 0;
    const watcher = await mqtt.connectAsync(app.mqttUrl, { clientId: 'fuzz-rejection-watcher', protocolVersion: 4 });
    watcher.on('message', (_t, p) => {
      const r = JSON.parse(p.toString()) as { code: string; reason?: string };
      reports.set(r.code, (reports.get(r.code) ?? 0) + 1);
      reportCount++;
      if (typeof r.reason !== 'string' || r.reason.length < 5) reasonless++;
    });
    await watcher.subscribeAsync(REJECTED_TOPIC, { qos: 1 });
    const gateway = await mqtt.connectAsync(app.mqttUrl, { clientId: 'fuzz-gateway', protocolVersion: 4 });
    let acked = 0;
    let publishErrors = 0;
    try {
      for (const input of corpus) {
        gateway.publish(input.topic, input.payload, { qos: 1 }, (e) => (e ? publishErrors++ : acked++));
      }
      await pollUntil(() => acked + publishErrors === corpus.length, 120_000, () => `broker acknowledgements (${acked} of ${corpus.length})`);
      const stored = async (): Promise<number> => {
        const m = (await app.registry.getMetricsAsJSON()).find((x) => x.name === 'heat_ingest_field_values_stored_total');
        return (m?.values[0]?.value as number | undefined) ?? 0;
      };
      let writes = 0;
      await pollUntil(async () => reportCount >= expectedReports && (writes = await stored()) >= expectedWrites, 120_000, () => `${expectedReports} rejection reports (have ${reportCount}) and ${expectedWrites} stored values (have ${writes})`);
      const health = await fetch(`${app.url}healthz`);
      expect(health.status).toBe(200);
      // A topic with an empty level is refused by the broker itself (aedes cannot queue it for a
      // persistent session and used to drop the ingester's connection over it): the hostile
      // publisher loses its connection, the ingester keeps its own.
      const rogue = await mqtt.connectAsync(app.mqttUrl, { clientId: 'fuzz-rogue', protocolVersion: 4, reconnectPeriod: 0 });
      const closed = new Promise<void>((resolve) => rogue.once('close', () => resolve()));
      rogue.publish('heat/v1/station/', '{}', { qos: 1 });
      await closed;
      rogue.end(true);
      const after = await fetch(`${app.url}healthz`);
      expect(after.status).toBe(200);
    } finally {
      await gateway.endAsync();
      await watcher.endAsync();
      await app.stop();
      process.off('uncaughtException', onCrash);
      process.off('unhandledRejection', onCrash);
    }
    const rows = await storedFieldValues(join(dataDir, DUCKDB_FILE));
    const seen = new Map<string, FieldValue>();
    let duplicated = 0;
    let unexpected = 0;
    let changed = 0;
    for (const [k, v] of rows) {
      if (seen.has(k)) duplicated++;
      seen.set(k, v);
      const want = expectedYields.get(k);
      if (want === undefined) unexpected++;
      else if (want !== v) changed++;
    }
    let lost = 0;
    for (const k of expectedYields.keys()) if (!seen.has(k)) lost++;
    const good = corpus.filter((i) => i.category === 'good' || i.category === 'duplicate').length;
    console.log(
      `[fuzz] MQTT path: messages=${corpus.length} (good=${good}, mixed=${corpus.filter((i) => i.category === 'mixed').length}, hostile=${corpus.length - good}) ` +
        `publishErrors=${publishErrors} ingesterReconnects=${connects.length - 1} rejectionReports=${reportCount}/${expectedReports} fieldValuesExpected=${expectedYields.size} stored=${seen.size} lost=${lost} duplicated=${duplicated} unexpected=${unexpected} changed=${changed} crashes=${crashes}`,
    );
    expect(crashes).toBe(0);
    expect(connects.length).toBe(1); // connected once, never lost
    expect(publishErrors).toBe(0);
    expect(reasonless).toBe(0);
    expect(reports.get('INTERNAL')).toBeUndefined();
    expect(Object.fromEntries(reports)).toEqual(Object.fromEntries(expectedCodes));
    expect({ lost, duplicated, unexpected, changed }).toEqual({ lost: 0, duplicated: 0, unexpected: 0, changed: 0 });
    expect(seen.size).toBe(expectedYields.size);
  }, 300_000);
});
