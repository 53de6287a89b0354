// The per-(rule, entity) condition state machine in event time:
//
//   idle ──holds──▶ pending ──held `for`──▶ firing ──released──▶ clearing ──released `clearFor`──▶ idle
//     ▲               │ not holding / unknown                         │ holds again
//     └───────────────┘                                               ▼ firing
//
// "Unknown" (missing or distrusted input) resets a pending condition — a bad sensor must not
// count towards an alert — and never releases a firing one. Activations are remembered for
// chattering suppression.

import { FALSE, TRUE, type Tri } from './compile-condition';

export type Phase = 'idle' | 'pending' | 'firing' | 'clearing';
export type Step = 'none' | 'activate' | 'deactivate';

export interface Tracker {
  phase: Phase;
  /** When the current phase's condition started holding (pending / clearing), or activation time (firing). */
  since: number;
  /** Start of the pending period that led to the current activation (the evidence window). */
  firedFrom: number;
  /** Recent activation times, oldest first (bounded by the chatter setting). */
  readonly activations: number[];
}

export function newTracker(): Tracker {
  return { phase: 'idle', since: 0, firedFrom: 0, activations: [] };
}

export function isOn(tr: Tracker): boolean {
  return tr.phase === 'firing' || tr.phase === 'clearing';
}

/** Idle or pending: `holds` is the rule's fire judgement at `t`. */
export function stepOff(tr: Tracker, t: number, holds: Tri, forMs: number): Step {
  if (holds !== TRUE) {
    tr.phase = 'idle';
    return 'none';
  }
  if (tr.phase === 'idle') {
    tr.phase = 'pending';
    tr.since = t;
  }
  if (t - tr.since < forMs) return 'none';
  tr.firedFrom = tr.since;
  tr.phase = 'firing';
  tr.since = t;
  return 'activate';
}

/** Firing or clearing: `released` is the rule's release judgement at `t`. */
export function stepOn(tr: Tracker, t: number, released: Tri, clearForMs: number): Step {
  if (released === FALSE) {
    tr.phase = 'firing';
    return 'none';
  }
  if (released !== TRUE) return 'none';
  if (tr.phase === 'firing') {
    tr.phase = 'clearing';
    tr.since = t;
  }
  if (t - tr.since < clearForMs) return 'none';
  tr.phase = 'idle';
  tr.since = t;
  return 'deactivate';
}

/** Record an activation; returns how many fall within `windowMs` up to `t` (keeps at most `keep`). */
export function noteActivation(tr: Tracker, t: number, windowMs: number, keep: number): number {
  tr.activations.push(t);
  while (tr.activations.length > keep) tr.activations.shift();
  let n = 0;
  for (const a of tr.activations) if (t - a < windowMs) n++;
  return n;
}
