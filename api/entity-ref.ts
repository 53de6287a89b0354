// `kind:id` names one entity of the network model in URLs and live subscriptions
// (e.g. `station:dexuan`, `compound:longhu-huating`, `weather:jyg`).

import { z } from 'zod';
import type { NetworkModel } from '../domain/network';
import { ENTITY_KINDS, type EntityKind } from '../domain/telemetry';

export interface EntityRef {
  readonly kind: EntityKind;
  readonly id: string;
  /** The canonical text form, `kind:id`. */
  readonly key: string;
}

const PATTERN = new RegExp(`^(${ENTITY_KINDS.join('|')}):([A-Za-z0-9_-]{1,64})$`);

export function entityKey(kind: EntityKind, id: string): string {
  return `${kind}:${id}`;
}

/** A zod schema for `kind:id` that also requires the entity to exist in the model (else UNKNOWN_ENTITY). */
export function entityRefSchema(network: NetworkModel) {
  return z.string().transform((text, ctx): EntityRef => {
    const m = PATTERN.exec(text);
    if (m === null) {
      ctx.addIssue({ code: 'custom', message: `"${text.slice(0, 80)}" is not kind:id with kind one of ${ENTITY_KINDS.join(', ')}` });
      return z.NEVER;
    }
    const kind = m[1] as EntityKind;
    const id = m[2] as string;
    if (network.entity(kind, id) === undefined) {
      ctx.addIssue({ code: 'custom', message: `no ${kind} with id "${id}" in the network model`, params: { heat: 'UNKNOWN_ENTITY' } });
      return z.NEVER;
    }
    return { kind, id, key: entityKey(kind, id) };
  });
}
