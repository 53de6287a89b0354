// A seeded generator of MQTT inputs for the fuzz tests (issue 9, item 4): good readings, and bad
// ones of every kind a field device or an attacker produces — malformed JSON, deep nesting, huge
// strings, wrong types, non-finite numbers, unknown entities, hostile topics, absurd timestamps,
// oversized payloads, prototype keys, batch abuse, binary garbage — plus duplicates of good
// readings and batches mixing good and bad. Each input says what must come of it: the metrics
// it must yield (field-value keys with values) and which error codes may reject its bad parts.
// Deterministic: the same seed gives the same corpus.

import type { ErrorCode } from '../../domain/errors';
import { FIELDS, PUMP_STATES } from '../../domain/fields';
import type { NetworkModel } from '../../domain/network';
import type { EntityKind, FieldValue } from '../../domain/telemetry';
import type { PayloadLimits } from '../../ingest/payload-schema';
import { createRng, type Rng } from '../../fixtures/sim/rng';

export const CATEGORIES = [
  'good',
  'duplicate',
  'mixed',
  'malformed-json',
  'deep-nesting',
  'huge-string',
  'wrong-type',
  'non-finite',
  'unknown-entity',
  'hostile-topic',
  'absurd-timestamp',
  'oversized',
  'prototype-key',
  'extra-key',
  'batch-abuse',
  'binary',
] as const;
export type Category = (typeof CATEGORIES)[number];

export interface FuzzInput {
  readonly category: Category;
  readonly topic: string;
  readonly payload: Buffer;
  /** Field values it must yield: "measurement/id/sensor/field/time" → value. */
  readonly yields: ReadonlyMap<string, FieldValue>;
  /** Codes its rejections may carry; empty = it must be accepted whole. */
  readonly codes: ReadonlySet<ErrorCode>;
}

export interface CorpusOptions {
  readonly seed: number;
  readonly count: number;
  readonly network: NetworkModel;
  /** The receiver's "now" (good readings lie within the hour before it). */
  readonly now: number;
  readonly limits: PayloadLimits;
  /**
   * Only topics an MQTT client can publish and a `+` subscription matches (one level, no NUL) and
   * the embedded broker lets through (no empty level: it refuses those itself, see
   * ingest/embedded-broker.ts refusedTopic).
   */
  readonly mqtt: boolean;
  /** Share of good readings (default 0.2). */
  readonly goodShare?: number;
}

export function fieldKey(kind: EntityKind, id: string, sensor: string | undefined, field: string, time: number): string {
  return `${kind}/${id}/${sensor ?? ''}/${field}/${time}`;
}

interface Good {
  readonly topic: string;
  readonly kind: EntityKind;
  readonly id: string;
  readonly ts: number;
  readonly values: Record<string, FieldValue>;
  readonly sensor?: string;
  readonly yields: Map<string, FieldValue>;
}

const codes = (...c: ErrorCode[]): ReadonlySet<ErrorCode> => new Set(c);
const json = (v: unknown): Buffer => Buffer.from(JSON.stringify(v));

export function generateCorpus(o: CorpusOptions): FuzzInput[] {
  const rng = createRng(o.seed);
  const net = o.network;
  let tick = 0;
  const goods: FuzzInput[] = [];
  const out: FuzzInput[] = [];

  /** A good reading with a fresh timestamp, on a random entity. */
  const good = (r: Rng): Good => {
    const ts = o.now - 3_600_000 + ++tick * 7; // unique, within the last hour
    const kind = r.pick(['station', 'station', 'compound', 'weather'] as const);
    if (kind === 'station') {
      const id = r.pick(net.stations).id;
      const names = Object.keys(FIELDS.station).filter((f) => f !== 'pump_state');
      const values: Record<string, FieldValue> = {};
      for (let i = 0, n = r.int(1, 4); i < n; i++) values[r.pick(names)] = Math.round(r.uniform(-50, 150) * 1000) / 1000;
      if (r.chance(0.3)) values.pump_state = r.pick(PUMP_STATES);
      return withYields({ topic: `heat/v1/station/${id}`, kind, id, ts, values, yields: new Map() });
    }
    if (kind === 'compound') {
      const c = r.pick(net.compounds);
      const values: Record<string, FieldValue> = {};
      for (const f of ['t_supply', 't_return', 'dp', 'flow']) if (r.chance(0.5)) values[f] = Math.round(r.uniform(0, 90) * 100) / 100;
      if (c.indoorSensors.length > 0 && r.chance(0.3)) {
        // the other spelling of an indoor reading: "sensor" beside a plain t_indoor
        values.t_indoor = Math.round(r.uniform(10, 26) * 10) / 10;
        return withYields({ topic: `heat/v1/compound/${c.id}`, kind, id: c.id, ts, values, sensor: r.pick(c.indoorSensors), yields: new Map() });
      }
      for (const s of c.indoorSensors) if (r.chance(0.6)) values[`t_indoor.${s}`] = Math.round(r.uniform(10, 26) * 10) / 10;
      if (Object.keys(values).length === 0) values.t_supply = 45.5;
      return withYields({ topic: `heat/v1/compound/${c.id}`, kind, id: c.id, ts, values, yields: new Map() });
    }
    const w = r.pick(net.weatherSites);
    return withYields({ topic: `heat/v1/weather/${w.id}`, kind, id: w.id, ts, values: { t_outdoor: Math.round(r.uniform(-35, 10) * 10) / 10 }, yields: new Map() });
  };

  const goodInput = (g: Good, category: Category = 'good'): FuzzInput => {
    const body = g.sensor === undefined ? { ts: g.ts, values: g.values } : { ts: g.ts, sensor: g.sensor, values: g.values };
    const payload = rng.chance(0.3) ? json({ readings: [body] }) : json(body);
    return { category, topic: g.topic, payload, yields: g.yields, codes: codes() };
  };

  const stationTopic = (): string => `heat/v1/station/${rng.pick(net.stations).id}`;
  const okTs = (): number => o.now - 3_600_000 + ++tick * 7;
  const maxBytes = o.limits.maxPayloadBytes;

  const bad: Record<Exclude<Category, 'good' | 'duplicate' | 'mixed'>, () => Omit<FuzzInput, 'category' | 'yields'>> = {
    'malformed-json': () => {
      const whole = JSON.stringify({ ts: okTs(), values: { t2_supply: 48.5, t2_return: 38.25 } });
      const variants: Array<() => string | Buffer> = [
        () => whole.slice(0, rng.int(0, whole.length - 1)),
        () => whole.replace('48.5', 'NaN'),
        () => whole.replace('48.5', 'Infinity'),
        () => whole.replace('}}', ',}}'),
        () => whole.replace(/"/g, "'"),
        () => `/* comment */${whole}`,
        () => `${whole}${whole}`,
        () => Buffer.from([0xff, 0xfe, 0x7b, 0x22, 0x74, 0x73, 0x22, 0x3a, 0xc3, 0x28]),
        () => Buffer.concat([Buffer.from('{"ts":1,"values":{"t2_supply":'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('}}')]),
      ];
      const v = rng.pick(variants)();
      return { topic: stationTopic(), payload: Buffer.isBuffer(v) ? v : Buffer.from(v), codes: codes('PAYLOAD_NOT_JSON') };
    },
    'deep-nesting': () => {
      const d = rng.int(50, Math.min(40_000, Math.floor(maxBytes / 6)));
      const variants = [
        () => '['.repeat(d) + ']'.repeat(d),
        () => '{"a":'.repeat(d) + '1' + '}'.repeat(d),
        () => `{"ts":${okTs()},"values":{"t2_supply":${'['.repeat(d)}1${']'.repeat(d)}}}`,
        () => `{"readings":[${'['.repeat(d)}${']'.repeat(d)}]}`,
      ];
      return { topic: stationTopic(), payload: Buffer.from(rng.pick(variants)()), codes: codes('PAYLOAD_NOT_JSON', 'PAYLOAD_SCHEMA', 'FIELD_TYPE') };
    },
    'huge-string': () => {
      const big = 'ü热'.repeat(rng.int(1_000, Math.floor(maxBytes / 12)));
      const variants = [
        () => ({ ts: okTs(), values: { t2_supply: big } }),
        () => ({ ts: okTs(), values: { [big]: 48.5 } }),
        () => ({ ts: big, values: { t2_supply: 48.5 } }),
        () => ({ ts: okTs(), sensor: big, values: { t_indoor: 18 } }),
        () => ({ ts: okTs(), values: { pump_state: big } }),
      ];
      return { topic: stationTopic(), payload: json(rng.pick(variants)()), codes: codes('FIELD_TYPE', 'UNKNOWN_FIELD', 'PAYLOAD_SCHEMA', 'TIMESTAMP_INVALID') };
    },
    'wrong-type': () => {
      const variants = [
        () => ({ ts: rng.pick([{}, [], true, null, '']), values: { t2_supply: 48.5 } }),
        () => ({ ts: okTs(), values: rng.pick([[], 'x', 5, null, true]) }),
        () => ({ ts: okTs(), values: { t2_supply: rng.pick([{}, [1], null, '48.5', true, false]) } }),
        () => ({ ts: okTs(), values: { pump_state: rng.pick([1, 'RUN', 'on', '', null, true]) } }),
        () => ({ ts: okTs(), values: {} }),
        () => rng.pick([[], 'reading', 42, true, null]),
      ];
      return { topic: stationTopic(), payload: json(rng.pick(variants)()), codes: codes('PAYLOAD_SCHEMA', 'FIELD_TYPE', 'TIMESTAMP_INVALID') };
    },
    'non-finite': () => {
      const variants = [
        () => `{"ts":${okTs()},"values":{"t2_supply":1e400}}`,
        () => `{"ts":${okTs()},"values":{"t2_supply":-1e999,"t2_return":1e309}}`,
        () => `{"ts":1e400,"values":{"t2_supply":48.5}}`,
        () => `{"ts":-1e400,"values":{"t2_supply":48.5}}`,
      ];
      return { topic: stationTopic(), payload: Buffer.from(rng.pick(variants)()), codes: codes('NON_FINITE', 'TIMESTAMP_INVALID') };
    },
    'unknown-entity': () => {
      const variants = [
        () => ({ topic: `heat/v1/station/nosuch-${rng.int(0, 1e9)}`, payload: json({ ts: okTs(), values: { t2_supply: 48.5 } }) }),
        () => ({ topic: `heat/v1/compound/nosuch-${rng.int(0, 1e9)}`, payload: json({ ts: okTs(), values: { t_supply: 40 } }) }),
        () => ({ topic: `heat/v1/weather/nosuch-${rng.int(0, 1e9)}`, payload: json({ ts: okTs(), values: { t_outdoor: -10 } }) }),
        () => ({ topic: `heat/v1/compound/${rng.pick(net.compounds).id}`, payload: json({ ts: okTs(), values: { 't_indoor.no-such-sensor': 18 } }) }),
        () => ({ topic: `heat/v1/compound/${rng.pick(net.compounds).id}`, payload: json({ ts: okTs(), sensor: 'no-such-sensor', values: { t_indoor: 18 } }) }),
        () => ({ topic: stationTopic(), payload: json({ ts: okTs(), values: { t_supply_typo: 48.5, t_indoor: 18 } }) }),
        () => ({ topic: `heat/v1/weather/${rng.pick(net.weatherSites).id}`, payload: json({ ts: okTs(), values: { t2_supply: 48.5 } }) }),
      ];
      return { ...rng.pick(variants)(), codes: codes('UNKNOWN_ENTITY', 'UNKNOWN_FIELD', 'PAYLOAD_SCHEMA') };
    },
    'hostile-topic': () => {
      const oneLevel = ["dexuan' OR '1'='1", 'dexuan"; DROP TABLE readings; --', '德轩', 'x'.repeat(65), 'dexuan\\', '${jndi:ldap:x}', '<script>', 'a b', 'dexuan,sensor=x', ...(o.mqtt ? [] : [''])];
      const multi = ['heat/v1/station/../../etc', 'heat/v1/station/dexuan/extra', 'heat/v1/pump/dexuan', 'heat/v2/station/dexuan', 'heat/v1/station', '', 'heat/v1/station/+', 'heat/v1/station/#', 'heat/v1/station/dex\u0000uan', '$SYS/heat'];
      const topic = o.mqtt || rng.chance(0.6) ? `heat/v1/${rng.pick(['station', 'compound', 'weather'])}/${rng.pick(oneLevel)}` : rng.pick(multi);
      return { topic, payload: json({ ts: okTs(), values: { t2_supply: 48.5 } }), codes: codes('TOPIC_INVALID') };
    },
    'absurd-timestamp': () => {
      const ts = rng.pick<unknown>([
        0,
        -1,
        1e15,
        -8.64e15,
        8.64e15,
        Number.MAX_SAFE_INTEGER,
        Math.floor(o.now / 1000),
        o.now + 366 * 86_400_000,
        o.now - 800 * 86_400_000,
        '0000-00-00T00:00:00Z',
        '2025-02-30T00:00:00+08:00',
        '2025-01-15T08:00:00',
        '2025-13-01T00:00:00Z',
        '2025-01-15T25:00:00Z',
        '2025-01-15T08:00:00+25:00',
        'yesterday',
        '1736899200',
        new Date(o.now + 30 * 86_400_000).toISOString(),
      ]);
      return { topic: stationTopic(), payload: json({ ts, values: { t2_supply: 48.5 } }), codes: codes('TIMESTAMP_RANGE', 'TIMESTAMP_INVALID') };
    },
    oversized: () => {
      const body = JSON.stringify({ ts: okTs(), values: { t2_supply: 48.5 } });
      const pad = maxBytes + rng.int(1, 4096) - body.length;
      return { topic: stationTopic(), payload: Buffer.from(body + ' '.repeat(pad)), codes: codes('PAYLOAD_TOO_LARGE') };
    },
    'prototype-key': () => {
      const variants = [
        () => `{"__proto__":{"ts":${okTs()},"values":{"t2_supply":48.5}}}`,
        () => `{"ts":${okTs()},"values":{"__proto__":48.5}}`,
        () => `{"ts":${okTs()},"values":{"constructor":48.5,"toString":1,"hasOwnProperty":2}}`,
        () => `{"ts":${okTs()},"values":{"t2_supply":48.5},"__proto__":{"admin":true}}`,
        () => `{"readings":[{"ts":${okTs()},"values":{"t2_supply":48.5}}],"__proto__":{}}`,
      ];
      return { topic: stationTopic(), payload: Buffer.from(rng.pick(variants)()), codes: codes('PAYLOAD_SCHEMA', 'UNKNOWN_FIELD') };
    },
    'extra-key': () => {
      const variants = [
        () => ({ ts: okTs(), values: { t2_supply: 48.5 }, extra: 1 }),
        () => ({ ts: okTs(), value: { t2_supply: 48.5 } }),
        () => ({ readings: [{ ts: okTs(), values: { t2_supply: 48.5 } }], meta: 'x' }),
        () => ({ time: okTs(), values: { t2_supply: 48.5 } }),
      ];
      return { topic: stationTopic(), payload: json(rng.pick(variants)()), codes: codes('PAYLOAD_SCHEMA') };
    },
    'batch-abuse': () => {
      const variants = [
        () => ({ readings: [] }),
        () => ({ readings: 'all of them' }),
        () => ({ readings: Array.from({ length: o.limits.maxReadings + 1 }, () => ({ ts: okTs(), values: { t2_supply: 1 } })) }),
        () => ({ readings: [null, 1, 'a', [], { ts: okTs() }] }),
        () => ({ readings: { 0: { ts: okTs(), values: { t2_supply: 48.5 } } } }),
      ];
      return { topic: stationTopic(), payload: json(rng.pick(variants)()), codes: codes('PAYLOAD_SCHEMA') };
    },
    binary: () => {
      const b = Buffer.alloc(rng.int(1, 2048));
      for (let i = 0; i < b.length; i++) b[i] = rng.int(0, 255);
      if (b[0] === 0x7b || b[0] === 0x5b) b[0] = 0x00; // not the start of an object or array
      return { topic: stationTopic(), payload: b, codes: codes('PAYLOAD_NOT_JSON', 'PAYLOAD_SCHEMA') };
    },
  };

  /** A batch with good readings and bad ones, or a reading with good and bad fields: the good parts must be kept. */
  const mixed = (): FuzzInput => {
    const g = good(rng);
    if (g.kind === 'station' && rng.chance(0.5)) {
      const free = Object.keys(FIELDS.station).filter((f) => !(f in g.values) && f !== 'pump_state');
      const values: Record<string, FieldValue> = { ...g.values, t2_return_typo: 1, [rng.pick(free)]: 'fast' };
      return { category: 'mixed', topic: g.topic, payload: json({ ts: g.ts, values }), yields: g.yields, codes: codes('UNKNOWN_FIELD', 'FIELD_TYPE') };
    }
    const readings: unknown[] = [g.sensor === undefined ? { ts: g.ts, values: g.values } : { ts: g.ts, sensor: g.sensor, values: g.values }];
    readings.push({ ts: 'never', values: { x: 1 } }, null, { ts: okTs(), values: {} }, { ts: g.ts + 1, values: { nonsense: true } });
    for (let i = readings.length - 1; i > 0; i--) {
      const j = rng.int(0, i);
      [readings[i], readings[j]] = [readings[j], readings[i]];
    }
    return { category: 'mixed', topic: g.topic, payload: json({ readings }), yields: g.yields, codes: codes('TIMESTAMP_INVALID', 'PAYLOAD_SCHEMA', 'UNKNOWN_FIELD') };
  };

  const badNames = Object.keys(bad) as Array<keyof typeof bad>;
  const goodShare = o.goodShare ?? 0.2;
  for (let i = 0; i < o.count; i++) {
    const roll = rng.next();
    if (roll < goodShare) {
      const input = goodInput(good(rng));
      goods.push(input);
      out.push(input);
    } else if (roll < goodShare + 0.03 && goods.length > 0) {
      out.push({ ...rng.pick(goods), category: 'duplicate' });
    } else if (roll < goodShare + 0.08) {
      out.push(mixed());
    } else {
      const name = rng.pick(badNames);
      out.push({ category: name, yields: new Map(), ...bad[name]() });
    }
  }
  return out;
}

function withYields(g: Good): Good {
  for (const [k, v] of Object.entries(g.values)) {
    if (k.startsWith('t_indoor.')) g.yields.set(fieldKey(g.kind, g.id, k.slice('t_indoor.'.length), 't_indoor', g.ts), v);
    else if (k === 't_indoor') g.yields.set(fieldKey(g.kind, g.id, g.sensor, 't_indoor', g.ts), v);
    else g.yields.set(fieldKey(g.kind, g.id, undefined, k, g.ts), v);
  }
  return g;
}
