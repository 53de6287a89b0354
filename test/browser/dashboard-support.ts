// Shared steps of the dashboard's browser tests: a real Chromium, the login form, MQTT readings
// in contract v1, and API calls with a bearer token (same-origin rules do not apply to it).
import { expect } from 'vitest';
import type { MqttClient } from 'mqtt';
import type { Page } from 'playwright-core';

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];

/** Log in through the page's own form (the app shows it when there is no session). */
export async function logIn(page: Page, username: string, password: string): Promise<void> {
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('mainnav').waitFor({ timeout: 20_000 });
}

export interface Reading {
  readonly ts: number;
  readonly values: Readonly<Record<string, number | string>>;
}

/** One MQTT message per entity, readings batched, QoS 1 (acknowledged by the broker). */
export async function publish(client: MqttClient, kind: 'station' | 'compound' | 'weather', id: string, readings: readonly Reading[]): Promise<void> {
  await client.publishAsync(`heat/v1/${kind}/${id}`, JSON.stringify({ readings }), { qos: 1 });
}

export function api(base: string, token: string) {
  const url = (p: string): string => `${base.replace(/\/$/, '')}${p}`;
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  return {
    async get<T>(path: string): Promise<T> {
      const r = await fetch(url(path), { headers });
      expect(r.status, `GET ${path}`).toBe(200);
      return (await r.json()) as T;
    },
    async post<T>(path: string, body: unknown): Promise<{ status: number; body: T }> {
      const r = await fetch(url(path), { method: 'POST', headers, body: JSON.stringify(body) });
      return { status: r.status, body: (await r.json()) as T };
    },
  };
}

/** The smallest side of an element's box, px (tap targets for cold hands should be ≥ 44). */
export async function minSide(page: Page, selector: string): Promise<number> {
  const boxes = await page.locator(selector).evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => Math.min(r.width, r.height)));
  return Math.min(...boxes);
}
