// What a fuzz input must come to, checked the same way for the parser alone and for the live
// MQTT path: the field values it yields are exactly the expected ones; a bad part is rejected
// with a catalogue code the input allows and a reason; a good input is accepted whole.

import { ERRORS, type ErrorCode } from '../../domain/errors';
import type { FieldValue, Metric } from '../../domain/telemetry';
import { fieldKey, type FuzzInput } from './hostile-payloads';

export interface RejectionLike {
  readonly code: string;
  readonly reason: string;
}

export function yieldsOf(metrics: readonly Metric[]): Map<string, FieldValue> {
  const out = new Map<string, FieldValue>();
  for (const m of metrics) for (const [f, v] of Object.entries(m.fields)) out.set(fieldKey(m.measurement, m.tags.id, m.tags.sensor, f, m.time), v);
  return out;
}

/** Problems with one input's outcome; empty when it came out as it must. */
export function judge(input: FuzzInput, got: ReadonlyMap<string, FieldValue>, rejections: readonly RejectionLike[]): string[] {
  const problems: string[] = [];
  for (const [k, v] of input.yields) if (got.get(k) !== v) problems.push(`missing or changed ${k}: want ${String(v)}, got ${String(got.get(k))}`);
  for (const k of got.keys()) if (!input.yields.has(k)) problems.push(`unexpected field value ${k}`);
  if (input.codes.size === 0 && rejections.length > 0) problems.push(`a good input was rejected: ${rejections.map((r) => `${r.code} ${r.reason}`).join('; ')}`);
  if (input.codes.size > 0 && rejections.length === 0) problems.push('a bad input was not rejected');
  for (const r of rejections) {
    if (!Object.prototype.hasOwnProperty.call(ERRORS, r.code)) problems.push(`rejection code ${r.code} is not in the catalogue`);
    else if (!input.codes.has(r.code as ErrorCode)) problems.push(`rejected with ${r.code} (${r.reason.slice(0, 120)}), expected one of ${[...input.codes].join(', ')}`);
    if (typeof r.reason !== 'string' || r.reason.length < 5) problems.push(`rejection ${r.code} without a reason`);
  }
  return problems;
}
