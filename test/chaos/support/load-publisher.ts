// Steady load for chaos tests: a station gateway publishing distinct readings at a set rate with
// QoS 1 (mqtt.js; it reconnects and resends unacknowledged messages by itself after a broker
// restart). Reading i goes to station i mod n at ts = base + i with two fields, so every reading
// has its own keys and the test knows exactly which rows the store must end up with.
//
// Lifecycle: startLoad() connects and starts publishing; waitFor(n) resolves once n readings were
// handed to the client; done() resolves when all `total` are acknowledged by the broker; stop().

import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';

export interface LoadOptions {
  readonly url: string;
  readonly stations: readonly string[];
  readonly total: number;
  /** Messages per second (paced in 20 ms ticks). */
  readonly rate: number;
  /** Epoch ms of reading 0; every reading is one ms after the previous one. */
  readonly base: number;
  readonly clientId?: string;
  readonly mqtt?: IClientOptions;
}

export interface Load {
  /** Readings handed to the client so far. */
  readonly sent: number;
  /** Readings the broker acknowledged (PUBACK). */
  readonly acked: number;
  /** Publish errors (should stay 0: mqtt.js queues while offline). */
  readonly errors: number;
  /** Resolves once at least `n` readings were sent. */
  sentAtLeast(n: number): Promise<void>;
  /** Pauses / resumes pacing (readings already sent stay in flight). */
  pause(): void;
  resume(): void;
  /** Resolves when every reading is sent and acknowledged. */
  done(): Promise<void>;
  stop(): Promise<void>;
}

export const LOAD_FIELDS = ['t2_supply', 't2_return'] as const;

export function readingOf(i: number, o: Pick<LoadOptions, 'stations' | 'base'>): { topic: string; station: string; ts: number; values: Record<(typeof LOAD_FIELDS)[number], number> } {
  const station = o.stations[i % o.stations.length] as string;
  // Values derived from i, so that a mixed-up row is caught, not only a missing one.
  return { topic: `heat/v1/station/${station}`, station, ts: o.base + i, values: { t2_supply: 40 + (i % 2000) / 100, t2_return: 30 + (i % 1000) / 100 } };
}

export async function startLoad(o: LoadOptions): Promise<Load> {
  const client: MqttClient = await mqtt.connectAsync(o.url, {
    clientId: o.clientId ?? `chaos-gateway-${process.pid}`,
    clean: false,
    reconnectPeriod: 250,
    connectTimeout: 5_000,
    ...o.mqtt,
  });
  let sent = 0;
  let acked = 0;
  let errors = 0;
  let paused = false;
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  let allAcked: () => void = () => {};
  const finished = new Promise<void>((r) => (allAcked = r));
  const perTick = Math.max(1, Math.round(o.rate / 50));

  const tick = (): void => {
    if (paused) return;
    for (let k = 0; k < perTick && sent < o.total; k++) {
      const i = sent++;
      const r = readingOf(i, o);
      client.publish(r.topic, JSON.stringify({ ts: r.ts, values: r.values }), { qos: 1 }, (e) => {
        if (e) errors++;
        else acked++;
        if (acked === o.total) allAcked();
      });
    }
    for (let w = waiters.length - 1; w >= 0; w--) {
      const x = waiters[w] as { n: number; resolve: () => void };
      if (sent >= x.n) {
        waiters.splice(w, 1);
        x.resolve();
      }
    }
    if (sent >= o.total) clearInterval(timer);
  };
  const timer = setInterval(tick, 20);

  return {
    get sent() {
      return sent;
    },
    get acked() {
      return acked;
    },
    get errors() {
      return errors;
    },
    sentAtLeast: (n) => (sent >= n ? Promise.resolve() : new Promise((resolve) => waiters.push({ n, resolve }))),
    pause: () => void (paused = true),
    resume: () => void (paused = false),
    done: () => finished,
    async stop() {
      clearInterval(timer);
      await client.endAsync(true);
    },
  };
}

/** Every row the store must hold after `total` readings: "station/id/field/time" → value. */
export function expectedRows(total: number, o: Pick<LoadOptions, 'stations' | 'base'>): Map<string, number> {
  const rows = new Map<string, number>();
  for (let i = 0; i < total; i++) {
    const r = readingOf(i, o);
    for (const f of LOAD_FIELDS) rows.set(`${r.station}/${f}/${r.ts}`, r.values[f]);
  }
  return rows;
}
