// The alerts API as the page sees it (rules/alert.ts and rules/incident.ts give the shapes; the
// page imports types only). Lists and rule catalogues are parsed defensively: another part of the
// product serves them and may grow fields.

import type { Alert } from '../../rules/alert';
import type { Incident } from '../../rules/incident';
import { SEVERITIES, SEVERITY_RANK, type Severity } from '../../rules/severity';

export type { Alert, Incident, Severity };
export { SEVERITIES, SEVERITY_RANK };

export interface AlertSummary {
  readonly open: number;
  readonly bySeverity: Readonly<Partial<Record<Severity, number>>>;
  /** Worst open severity per station / compound. */
  readonly byStation: Readonly<Record<string, Severity>>;
  readonly byCompound: Readonly<Record<string, Severity>>;
  readonly incidents: number;
}

export interface AlertEvent {
  readonly type: string;
  readonly alert: Alert;
}

export interface IncidentEvent {
  readonly type: string;
  readonly incident: Incident;
}

export interface RuleInfo {
  readonly id: string;
  readonly name: { readonly zh: string; readonly en: string };
  readonly category?: string;
}

export function isSeverity(v: unknown): v is Severity {
  return typeof v === 'string' && (SEVERITIES as readonly string[]).includes(v);
}

/** Worse of two (undefined = no alert). */
export function worse(a: Severity | undefined, b: Severity | undefined): Severity | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return SEVERITY_RANK[a] >= SEVERITY_RANK[b] ? a : b;
}

/** `{items}` or a bare array. */
export function itemsOf(body: unknown): unknown[] {
  if (Array.isArray(body)) return body;
  if (typeof body === 'object' && body !== null) {
    const o = body as Record<string, unknown>;
    for (const k of ['items', 'rules', 'alerts', 'incidents', 'visits']) if (Array.isArray(o[k])) return o[k] as unknown[];
  }
  return [];
}

export function parseRules(body: unknown): RuleInfo[] {
  const out: RuleInfo[] = [];
  for (const x of itemsOf(body)) {
    if (typeof x !== 'object' || x === null) continue;
    const o = x as Record<string, unknown>;
    if (typeof o.id !== 'string') continue;
    const n = o.name as { zh?: unknown; en?: unknown } | undefined;
    const zh = typeof n?.zh === 'string' ? n.zh : o.id;
    const en = typeof n?.en === 'string' ? n.en : zh;
    out.push({ id: o.id, name: { zh, en }, ...(typeof o.category === 'string' ? { category: o.category } : {}) });
  }
  return out;
}

/** Alerts that look like alerts (id, rule, entity, severity, state); others are skipped. */
export function parseAlerts(body: unknown): Alert[] {
  return itemsOf(body).filter(isAlert);
}

export function isAlert(x: unknown): x is Alert {
  if (typeof x !== 'object' || x === null) return false;
  const o = x as Record<string, unknown>;
  const e = o.entity as Record<string, unknown> | undefined;
  return typeof o.id === 'string' && typeof o.ruleId === 'string' && isSeverity(o.severity) && typeof o.state === 'string' && typeof e?.id === 'string';
}

export function isIncident(x: unknown): x is Incident {
  if (typeof x !== 'object' || x === null) return false;
  const o = x as Record<string, unknown>;
  return typeof o.id === 'string' && Array.isArray(o.alertIds) && isSeverity(o.severity);
}
