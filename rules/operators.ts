// Comparison operators of rule conditions, compiled from one table when rules load
// (Grafana alerting's `Record<Operator, Predicate>` checked with `satisfies`).

import type { FieldValue } from '../domain/telemetry';

export const OPERATOR_NAMES = ['lt', 'lte', 'gt', 'gte', 'eq', 'neq', 'in', 'notIn'] as const;
export type Operator = (typeof OPERATOR_NAMES)[number];

/** A threshold after compilation: a number, a state, or a list of states for `in` / `notIn`. */
export type Operand = FieldValue | readonly FieldValue[];

export type Predicate = (value: FieldValue, threshold: Operand) => boolean;

const num = (f: (a: number, b: number) => boolean): Predicate => (a, b) => typeof a === 'number' && typeof b === 'number' && f(a, b);
const member = (v: FieldValue, list: Operand): boolean => Array.isArray(list) && list.includes(v);

export const OPERATORS = {
  lt: num((a, b) => a < b),
  lte: num((a, b) => a <= b),
  gt: num((a, b) => a > b),
  gte: num((a, b) => a >= b),
  eq: (a, b) => !Array.isArray(b) && a === b,
  neq: (a, b) => !Array.isArray(b) && a !== b,
  in: (a, b) => member(a, b),
  notIn: (a, b) => Array.isArray(b) && !b.includes(a),
} as const satisfies Record<Operator, Predicate>;

/**
 * Which way hysteresis moves a numeric threshold while an alert is active: an alert fired by
 * `x < 18` with hysteresis 0.5 holds while `x < 18.5`, so it clears only at 18.5 and up.
 */
export const HYSTERESIS_SIGN = {
  lt: 1,
  lte: 1,
  gt: -1,
  gte: -1,
  eq: 0,
  neq: 0,
  in: 0,
  notIn: 0,
} as const satisfies Record<Operator, -1 | 0 | 1>;

/** Operand kind each operator accepts, checked when rules load. */
export const OPERAND_KIND = {
  lt: 'number',
  lte: 'number',
  gt: 'number',
  gte: 'number',
  eq: 'scalar',
  neq: 'scalar',
  in: 'list',
  notIn: 'list',
} as const satisfies Record<Operator, 'number' | 'scalar' | 'list'>;

export const OPERATOR_SYMBOL = {
  lt: '<',
  lte: '≤',
  gt: '>',
  gte: '≥',
  eq: '=',
  neq: '≠',
  in: '∈',
  notIn: '∉',
} as const satisfies Record<Operator, string>;
