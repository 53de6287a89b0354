// The Node-RED baseline: the flow a utility would build for the same job — `mqtt in` (heat/v1/#,
// QoS 1, parsed JSON) → a function node turning the contract-v1 payload into InfluxDB points →
// `influxdb batch` (node-red-contrib-influxdb, InfluxDB 1.x, precision ms) — run headless from
// the npm package with a generated flow file, against the same broker and InfluxDB.
//
// Lifecycle: startNodeRed() resolves once the flow is deployed and its MQTT client connected;
// stop() ends the process and removes its user dir.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LAUNCH_ENV } from '../app/launch';
import { freePort } from '../test/support/mosquitto';

export interface NodeRedOptions {
  readonly mqttHost: string;
  readonly mqttPort: number;
  readonly influxHost: string;
  readonly influxPort: number;
  readonly database: string;
  /** Node-RED's own log lines (for failures). */
  readonly log?: (line: string) => void;
}

export interface RunningNodeRed {
  readonly pid: number;
  readonly version: string;
  stop(): Promise<void>;
  /** Errors Node-RED logged while running (failed writes, parse errors). */
  errors(): string[];
}

/** contract-v1 JSON → node-influx points; runs inside Node-RED's function node sandbox. */
export const FUNCTION_BODY = `
const parts = msg.topic.split('/');
const kind = parts[2];
const id = parts[3];
const p = msg.payload;
const readings = Array.isArray(p.readings) ? p.readings : [p];
const points = [];
for (const r of readings) {
  const timestamp = new Date(typeof r.ts === 'number' ? r.ts : Date.parse(r.ts));
  const fields = {};
  let n = 0;
  for (const k in r.values) {
    if (k.startsWith('t_indoor.')) {
      points.push({ measurement: kind, tags: { id, sensor: k.slice(9) }, fields: { t_indoor: r.values[k] }, timestamp });
      continue;
    }
    fields[k] = r.values[k];
    n++;
  }
  if (n > 0) points.push({ measurement: kind, tags: r.sensor ? { id, sensor: r.sensor } : { id }, fields, timestamp });
}
msg.payload = points;
return msg;
`;

export function flowFile(o: NodeRedOptions, clientId: string): unknown[] {
  return [
    { id: 'bench-tab', type: 'tab', label: 'heat bench', disabled: false },
    {
      id: 'bench-broker',
      type: 'mqtt-broker',
      name: 'mosquitto',
      broker: o.mqttHost,
      port: String(o.mqttPort),
      clientid: clientId,
      autoConnect: true,
      usetls: false,
      protocolVersion: '4',
      keepalive: '60',
      cleansession: true,
    },
    {
      id: 'bench-influx',
      type: 'influxdb',
      hostname: o.influxHost,
      port: String(o.influxPort),
      protocol: 'http',
      database: o.database,
      name: 'influxd',
      usetls: false,
      influxdbVersion: '1.x',
      credentials: { username: '', password: '' },
    },
    {
      id: 'bench-mqtt-in',
      type: 'mqtt in',
      z: 'bench-tab',
      name: 'telemetry',
      topic: 'heat/v1/#',
      qos: '1',
      datatype: 'json',
      broker: 'bench-broker',
      nl: false,
      rap: true,
      rh: 0,
      inputs: 0,
      wires: [['bench-fn']],
    },
    { id: 'bench-fn', type: 'function', z: 'bench-tab', name: 'to points', func: FUNCTION_BODY, outputs: 1, noerr: 0, wires: [['bench-write']] },
    { id: 'bench-write', type: 'influxdb batch', z: 'bench-tab', influxdb: 'bench-influx', precision: 'ms', retentionPolicy: '', name: 'write', wires: [] },
  ];
}

export function nodeRedVersion(): string {
  const require = createRequire(import.meta.url);
  return (require('node-red/package.json') as { version: string }).version;
}

export async function startNodeRed(o: NodeRedOptions, timeoutMs = 60_000): Promise<RunningNodeRed> {
  const require = createRequire(import.meta.url);
  const red = require.resolve('node-red/red.js');
  const dir = mkdtempSync(join(tmpdir(), 'heat-nodered-'));
  const uiPort = await freePort();
  const flows = join(dir, 'flows.json');
  writeFileSync(flows, JSON.stringify(flowFile(o, `bench-nodered-${process.pid}`), null, 2));
  const settings = join(dir, 'settings.cjs');
  writeFileSync(
    settings,
    `module.exports = ${JSON.stringify({
      uiPort,
      uiHost: '127.0.0.1',
      flowFile: flows,
      userDir: dir,
      credentialSecret: false,
      httpAdminRoot: false,
      httpNodeRoot: false,
      logging: { console: { level: 'info', metrics: false, audit: false } },
      externalModules: { autoInstall: false },
    })};\n`,
  );
  const child = spawn(process.execPath, [red, '--settings', settings, '--userDir', dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
    // Node-RED finds node-red-contrib-influxdb through the project's node_modules.
    env: { ...LAUNCH_ENV, ...process.env, NODE_PATH: join(process.cwd(), 'node_modules') },
  });
  if (child.pid === undefined) throw new Error('could not start node-red');
  const errors: string[] = [];
  let out = '';
  let connected = false;
  let started = false;
  const onLine = (line: string): void => {
    out = (out + line + '\n').slice(-8000);
    if (/Connected to broker/.test(line)) connected = true;
    if (/Started flows/.test(line)) started = true;
    if (/\[(error|warn)\]/.test(line) && errors.length < 1000) errors.push(line);
  };
  let buf = '';
  const feed = (d: Buffer): void => {
    buf += d.toString();
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      onLine(buf.slice(0, i));
      buf = buf.slice(i + 1);
    }
  };
  child.stdout?.on('data', feed);
  child.stderr?.on('data', feed);
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(t);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + timeoutMs;
  while (!(connected && started)) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`node-red exited (${child.exitCode}) before it was ready:\n${out}`);
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`node-red not ready within ${timeoutMs} ms:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  // The subscription goes out right after the connection; give it a moment to be in place.
  await new Promise((r) => setTimeout(r, 1000));
  const unknown = /Waiting for missing types|missing types/i.test(out);
  if (unknown) {
    await stop();
    throw new Error(`node-red lacks node types (is node-red-contrib-influxdb installed?):\n${out}`);
  }
  return { pid: child.pid, version: nodeRedVersion(), stop, errors: () => [...errors] };
}
